package dev.mver.core.ops;

import dev.mver.core.env.EnvironmentCapture;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.io.FileTrees;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MetadataDiff;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * The main job end to end, in a scratch repository: register 1.0.0, retrain to 1.1.0, compare them, lose the
 * local files, and rebuild 1.0.0 byte for byte from its tag.
 */
public final class Demo {
    private static final ModelName MODEL = ModelName.of("churn");
    private final Clock clock;
    private final Map<String, String> env;
    private final Consumer<String> say;

    public Demo(Clock clock, Map<String, String> env, Consumer<String> say) {
        this.clock = clock;
        this.env = env;
        this.say = say;
    }

    public void run(Path dir) {
        try {
            runSteps(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void runSteps(Path dir) throws IOException {
        Path repo = dir.resolve("repo");
        InitService.Result init = new InitService().init(repo);
        try (Workspace ws = Workspace.open(repo)) {
            StoredConfig config = ws.repository().getConfig();
            config.setString("user", null, "name", "mver demo");
            config.setString("user", null, "email", "demo@mver.invalid");
            config.save();
        }
        say.accept("1. created a git repository with mver at " + init.root());

        Path model = repo.resolve("models/churn/model.bin");
        Path vocab = repo.resolve("models/churn/encoder");
        writeModel(model, vocab, 1);
        Files.writeString(repo.resolve("requirements.txt"), "scikit-learn==1.5.2\nnumpy==2.1.3\npandas==2.2.3\n");
        say.accept("2. trained a sample model: models/churn/model.bin (4 MiB) and models/churn/encoder/ (3 files)");

        register(repo, "1.0.0", null, "first production candidate", "snap-2026-11-01",
                Map.of("max_depth", "6", "learning_rate", "0.1"), Map.of("auc", "0.861", "f1", "0.702"));
        say.accept("3. registered churn@v1.0.0 (tag churn@v1.0.0, metadata in .mver/models/churn.json)");

        writeModel(model, vocab, 2);
        register(repo, null, Bump.MINOR, "retrained on November data", "snap-2026-11-28",
                Map.of(), Map.of("auc", "0.874", "f1", "0.719"));
        say.accept("4. retrained on a new dataset snapshot and registered churn@v1.1.0 (--bump minor)");

        try (Workspace ws = Workspace.open(repo)) {
            ModelQueries q = new ModelQueries(ws.repository());
            Metadata a = q.metadata(VersionSpec.parse("churn@v1.0.0"));
            Metadata b = q.metadata(VersionSpec.parse("churn@v1.1.0"));
            say.accept("5. diff churn@v1.0.0 churn@v1.1.0:");
            for (MetadataDiff.Change c : MetadataDiff.between(a, b)) {
                say.accept(String.format("     %-20s %-22s %s -> %s", c.field(), c.key() == null ? "" : c.key(),
                        brief(c.from()), brief(c.to())));
            }
        }

        FileTrees.delete(repo.resolve("models"));
        say.accept("6. deleted the local model files (only pointers and metadata remain in git)");

        Path rebuilt = dir.resolve("rebuilt");
        try (Workspace ws = Workspace.open(repo)) {
            ArtifactService artifacts = new ArtifactService(ws, ProgressListener.NONE);
            CheckoutService.Result r = new CheckoutService(ws, artifacts, ProgressListener.NONE)
                    .checkout(VersionSpec.parse("churn@v1.0.0"), rebuilt, false);
            Metadata m = new ModelQueries(ws.repository()).metadata(VersionSpec.parse("churn@v1.0.0"));
            ReleaseVerifier.Verified v = new ReleaseVerifier(ws.cache()).verify(rebuilt, m.artifacts());
            say.accept("7. rebuilt churn@v1.0.0 from its tag into " + rebuilt + ": " + r.filesWritten()
                    + " files, and re-verified " + v.files() + " files (" + v.bytes() + " bytes) against their sha256");
        }
        say.accept("done: churn@v1.0.0 is reproducible from its tag alone");
    }

    private void register(Path repo, String version, Bump bump, String reason, String dataset,
                          Map<String, String> params, Map<String, String> metrics) {
        try (Workspace ws = Workspace.open(repo)) {
            RegisterRequest req = new RegisterRequest(MODEL, version != null
                    ? RegisterRequest.VersionChoice.exactly(version) : RegisterRequest.VersionChoice.bumped(bump), reason,
                    List.of("models/churn/model.bin", "models/churn/encoder"), new RegisterRequest.MetadataChanges(
                    dataset, "fs-3", List.of("tenure", "monthly_charges", "contract_type", "support_calls"),
                    "gradient-boosted-trees", params, metrics, Map.of(), null, repo.resolve("requirements.txt"), null, null,
                    null, null),
                    false);
            new RegisterService(ws, new GitIdentity(env, clock), new EnvironmentCapture(env),
                    new ArtifactService(ws, ProgressListener.NONE), new EventLog(ws.repository())).register(req);
        }
    }

    private static void writeModel(Path model, Path encoder, int seed) throws IOException {
        Files.createDirectories(model.getParent());
        byte[] bytes = new byte[4 << 20];
        new Random(seed).nextBytes(bytes);
        Files.write(model, bytes);
        Files.createDirectories(encoder);
        for (String name : new String[] {"vocab.txt", "config.json", "special_tokens.txt"}) {
            Files.writeString(encoder.resolve(name), name + " for seed " + (name.equals("config.json") ? 1 : seed) + "\n",
                    StandardCharsets.UTF_8);
        }
    }

    private static String brief(com.fasterxml.jackson.databind.JsonNode v) {
        if (v == null) {
            return "-";
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        return s.length() == 64 ? s.substring(0, 12) : s;
    }
}
