package dev.mver.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.env.EnvironmentCapture;
import dev.mver.core.env.Requirements;
import dev.mver.core.mlflow.MlflowModel;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import java.time.Clock;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The metadata record of a new version, in layers: the previous version's fields, then the metadata file's, then
 * the flags'. New artifact bytes reset the metrics (they describe the bytes they were measured on) and default the
 * training date to today; the environment is the file's (captured where the model was trained) or this machine's.
 */
final class RecordAssembler {
    private final Clock clock;
    private final EnvironmentCapture environment;

    /**
     * The inputs read once per registration: the metadata file and the requirements, both optional;
     * {@code standalone} when the file is the whole record (an import's, from another tool's records), so nothing
     * of the previous version's is carried over.
     */
    record Inputs(MetadataInput file, Map<String, String> requirementLibs, Map<String, JsonNode> metricsFile,
                  Map<String, JsonNode> paramsFile, boolean standalone) {
        static Inputs read(ModelName model, RegisterRequest.MetadataChanges changes) {
            if (changes.trainingDate() != null) {
                checkDate(changes.trainingDate());
            }
            MetadataInput file = changes.metadataFile() == null ? null : MetadataInput.read(changes.metadataFile());
            if (file != null) {
                if (file.modelName() != null && !file.modelName().equals(model.value())) {
                    throw MverException.usage("metadata file is for model '%s', not '%s'", file.modelName(), model);
                }
                if (file.schema() != null && !file.schema().equals(Metadata.SCHEMA)) {
                    throw MverException.usage("metadata file has schema '%s', expected '%s'", file.schema(),
                            Metadata.SCHEMA);
                }
            }
            return new Inputs(file, changes.requirements() == null ? Map.of()
                    : Requirements.read(changes.requirements()),
                    changes.metricsFile() == null ? Map.of() : KeyValueFile.read(changes.metricsFile(), "metrics file"),
                    changes.paramsFile() == null ? Map.of() : KeyValueFile.read(changes.paramsFile(), "params file"),
                    false);
        }
    }

    RecordAssembler(Clock clock, EnvironmentCapture environment) {
        this.clock = clock;
        this.environment = environment;
    }

    Metadata assemble(RegisterRequest req, Inputs in, SemVer version, Metadata previous, List<ArtifactRef> refs,
                      Map<String, MlflowModel> mlflow) {
        Metadata.Builder b = previous == null || in.standalone() ? new Metadata.Builder() : previous.toBuilder();
        if (previous == null || in.standalone() || !sameArtifacts(previous.artifacts(), refs)) {
            b.metrics = new TreeMap<>();
            b.trainingDate = LocalDate.now(clock).toString();
        }
        b.modelName = req.model();
        b.version = version.toString();
        b.parentVersion = previous == null ? null : previous.version();
        b.extra.remove(Metadata.REPEATS); // a forced registration's own note, never inherited
        b.reason = req.reason().strip();
        b.artifacts = refs;
        b.environment = null;
        // The MLflow models among the artifacts describe these bytes: their details replace the previous
        // version's, their libraries come before the metadata file's and the flags'.
        b.extra.remove(MlflowModel.EXTRA_KEY);
        if (!mlflow.isEmpty()) {
            com.fasterxml.jackson.databind.node.ObjectNode models = Json.mapper().createObjectNode();
            mlflow.forEach((path, model) -> {
                models.set(path, model.details());
                b.libraryVersions.putAll(model.libraries());
            });
            b.extra.put(MlflowModel.EXTRA_KEY, models);
        }
        MetadataInput file = in.file();
        if (file != null) {
            if (file.trainingDate() != null) {
                b.trainingDate = checkDate(file.trainingDate());
            }
            b.datasetSnapshotId = orElse(file.datasetSnapshotId(), b.datasetSnapshotId);
            b.featureSetVersion = orElse(file.featureSetVersion(), b.featureSetVersion);
            b.architecture = orElse(file.architecture(), b.architecture);
            if (file.features() != null) {
                b.features = new ArrayList<>(file.features());
            }
            putAll(b.hyperparameters, file.hyperparameters());
            putAll(b.metrics, file.metrics());
            putAll(b.libraryVersions, file.libraryVersions());
            putAll(b.extra, file.extra());
            b.environment = file.environment();
        }
        b.libraryVersions.putAll(in.requirementLibs());
        b.metrics.putAll(in.metricsFile());
        b.hyperparameters.putAll(in.paramsFile());
        RegisterRequest.MetadataChanges flags = req.changes();
        b.datasetSnapshotId = orElse(flags.dataset(), b.datasetSnapshotId);
        b.featureSetVersion = orElse(flags.featureSet(), b.featureSetVersion);
        b.architecture = orElse(flags.architecture(), b.architecture);
        b.trainingDate = orElse(flags.trainingDate(), b.trainingDate);
        if (flags.features() != null) {
            b.features = new ArrayList<>(flags.features());
        }
        flags.params().forEach((k, v) -> b.hyperparameters.put(key(k, "--param"), MetadataInput.scalar(v)));
        flags.metrics().forEach((k, v) -> b.metrics.put(key(k, "--metric"), MetadataInput.scalar(v)));
        flags.libs().forEach((k, v) -> b.libraryVersions.put(Requirements.normalise(key(k, "--lib")), v));
        if (b.environment == null) {
            b.environment = environment.capture();
        }
        return b.build();
    }

    private static String key(String k, String flag) {
        if (k == null || k.isBlank() || k.chars().anyMatch(c -> c < 0x20)) {
            throw MverException.usage("%s needs KEY=VALUE with a non-empty key", flag);
        }
        return k;
    }

    private static boolean sameArtifacts(List<ArtifactRef> a, List<ArtifactRef> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<RepoPath, ArtifactRef> byPath = new TreeMap<>();
        a.forEach(r -> byPath.put(r.path(), r));
        return b.stream().allMatch(r -> byPath.containsKey(r.path()) && byPath.get(r.path()).sameContent(r));
    }

    private static <V> void putAll(Map<String, V> target, Map<String, V> source) {
        if (source != null) {
            target.putAll(source);
        }
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    static String checkDate(String text) {
        for (Function<String, Object> parser : List.<Function<String, Object>>of(LocalDate::parse,
                OffsetDateTime::parse, LocalDateTime::parse)) {
            try {
                parser.apply(text);
                return text;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        throw MverException.usage("training date '%s' is not an ISO-8601 date (2026-11-28) or date-time", text);
    }
}
