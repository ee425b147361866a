package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.RegisterRequest;
import dev.mver.core.ops.RegisterService;
import dev.mver.core.value.ModelName;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "register", description = "Record a new version of a model: metadata, a commit and the tag NAME@vX.Y.Z.")
final class RegisterCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Model name, e.g. churn or fraud/xgb.")
    String name;

    static final class VersionChoice {
        @Option(names = "--version", paramLabel = "X.Y.Z", description = "The exact version.")
        String version;

        @Option(names = "--bump", paramLabel = "major|minor|patch|auto",
                description = "Next version from the latest; auto: the bump the change requires.")
        String bump;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    VersionChoice choice;

    @Option(names = {"-m", "--message"}, required = true, paramLabel = "REASON", description = "Why this version exists.")
    String reason;

    @Option(names = "--artifact", paramLabel = "PATH",
            description = "Artifact file or directory (repeatable; default: the previous version's artifacts).")
    List<String> artifacts = List.of();

    @Option(names = "--dataset", paramLabel = "ID", description = "Dataset snapshot id.")
    String dataset;

    @Option(names = "--feature-set", paramLabel = "VERSION", description = "Feature set version.")
    String featureSet;

    @Option(names = "--features", split = ",", paramLabel = "a,b,c", description = "Feature names, in order.")
    List<String> features;

    @Option(names = "--architecture", paramLabel = "TEXT", description = "Model architecture, e.g. xgboost or resnet50.")
    String architecture;

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Hyperparameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--metric", paramLabel = "KEY=VALUE", description = "Metric (repeatable).")
    Map<String, String> metrics = new LinkedHashMap<>();

    @Option(names = "--lib", paramLabel = "NAME=VERSION", description = "Library version (repeatable).")
    Map<String, String> libs = new LinkedHashMap<>();

    @Option(names = "--requirements", paramLabel = "FILE", description = "pip requirements or lock file for library versions.")
    Path requirements;

    @Option(names = "--metadata", paramLabel = "FILE.json", description = "Metadata fields from a JSON file.")
    Path metadataFile;

    @Option(names = "--metrics-file", paramLabel = "FILE", description = "Metrics from a JSON or YAML file (DVC's "
            + "metrics.json; nested sections as a.b); --metric wins.")
    Path metricsFile;

    @Option(names = "--params-file", paramLabel = "FILE", description = "Hyperparameters from a JSON or YAML file "
            + "(DVC's params.yaml; nested sections as a.b); --param wins.")
    Path paramsFile;

    @Option(names = "--python", paramLabel = "PATH", description = "The interpreter that trained the model, whose "
            + "packages go in the record (default: MVER_PYTHON, the active VIRTUAL_ENV or CONDA_PREFIX, else python3 "
            + "on the PATH).")
    String python;

    @Option(names = "--training-date", paramLabel = "DATE", description = "ISO-8601 date or date-time of training.")
    String trainingDate;

    @Option(names = "--force", description = "Register even if the bump is smaller than the change needs or "
            + "required fields are missing.")
    boolean force;

    @Option(names = "--retry", description = "First take in the git remote's registrations: a local, unpushed "
            + "registration of this model that lost a race is set aside and this one takes the next version.")
    boolean retry;

    @Option(names = "--git-remote", paramLabel = "NAME", description = "Git remote for --retry (default origin).")
    String gitRemote = "origin";

    @Option(names = "--json", description = "Print the registered metadata as JSON.")
    boolean json;

    @Override
    public Integer call() {
        RegisterRequest req = new RegisterRequest(ModelName.of(name),
                RegisterRequest.VersionChoice.of(choice.version, choice.bump), reason, artifacts,
                new RegisterRequest.MetadataChanges(dataset, featureSet, features, architecture, params, metrics,
                        libs, trainingDate, resolve(requirements), resolve(metadataFile), python,
                        resolve(metricsFile), resolve(paramsFile)), force);
        try (Mver mver = mver()) {
            if (retry) {
                List<String> dropped = mver.rebaseLostRegistrations(gitRemote, ModelName.of(name));
                if (!dropped.isEmpty()) {
                    err().println("mver: set aside unpushed " + String.join(", ", dropped) + " (taken on the remote)");
                }
            }
            RegisterService.Result r = mver.register(req);
            r.notes().forEach(n -> err().println("mver: " + n));
            err().flush();
            if (json) {
                return json(r.metadata());
            }
            out().printf("Registered %s (commit %s)%n", r.tag(), r.commit().abbreviate(10).name());
            out().printf("  %d artifact%s, %s%n", r.metadata().artifacts().size(),
                    r.metadata().artifacts().size() == 1 ? "" : "s",
                    r.previous() == null ? "first version" : "previous " + r.previous().tag());
            out().flush();
            return 0;
        }
    }

    private Path resolve(Path p) {
        return p == null ? null : root.workDir().resolve(p);
    }
}
