package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The metadata record of one model version, committed as canonical JSON at {@code .mver/models/NAME.json}.
 * Fields that are unknown are kept as {@code null} (or empty) so the JSON shape never changes.
 */
@JsonPropertyOrder({"schema", "model_name", "version", "parent_version", "reason", "training_date",
        "dataset_snapshot_id", "feature_set_version", "architecture", "features", "hyperparameters", "metrics",
        "library_versions", "environment", "artifacts", "extra"})
public record Metadata(
        String schema,
        ModelName modelName,
        String version,
        String parentVersion,
        String reason,
        String trainingDate,
        String datasetSnapshotId,
        String featureSetVersion,
        String architecture,
        List<String> features,
        Map<String, JsonNode> hyperparameters,
        Map<String, JsonNode> metrics,
        Map<String, String> libraryVersions,
        Environment environment,
        List<ArtifactRef> artifacts,
        Map<String, JsonNode> extra) {

    public static final String SCHEMA = "mver/metadata/v1";
    /**
     * The key in {@code extra} naming the version whose artifact bytes a forced registration repeats: in
     * {@code extra}, not a field of its own, so every mver that reads v1 records reads such a record too.
     */
    public static final String REPEATS = "repeats";

    public Metadata {
        if (!SCHEMA.equals(schema)) {
            throw MverException.invalid("schema must be \"" + SCHEMA + "\"");
        }
        if (modelName == null) {
            throw MverException.invalid("model_name is missing");
        }
        SemVer.parse(version);
        if (parentVersion != null) {
            SemVer.parse(parentVersion);
        }
        features = features == null ? List.of() : List.copyOf(features);
        hyperparameters = sorted(hyperparameters);
        metrics = sorted(metrics);
        libraryVersions = sorted(libraryVersions);
        extra = sorted(extra);
        artifacts = artifacts == null ? List.of() : artifacts.stream()
                .sorted(java.util.Comparator.comparing(a -> a.path().value())).toList();
        Set<String> seen = new HashSet<>();
        for (ArtifactRef a : artifacts) {
            if (!seen.add(a.path().value().toLowerCase(java.util.Locale.ROOT))) {
                throw MverException.invalid("artifact path listed twice: " + a.path());
            }
        }
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Where a model's record lives in the repository ({@code fraud/xgb}: {@code .mver/models/fraud/xgb.json}). */
    public static RepoPath recordPath(ModelName model) {
        return RepoPath.of(".mver/models/" + model.value() + ".json");
    }

    public SemVer semVer() {
        return SemVer.parse(version);
    }

    public static Metadata parse(byte[] json, String what) {
        return Json.parse(json, Metadata.class, what, ExitCode.USAGE);
    }

    public byte[] toCanonicalBytes() {
        return Json.canonicalBytes(this);
    }

    /**
     * The part of the record that says what the model is: everything but the version bookkeeping, the reason and
     * the registering machine. Two versions with equal content and equal artifacts are the same model.
     */
    public Metadata content() {
        return new Metadata(SCHEMA, modelName, "0.0.0", null, null, trainingDate, datasetSnapshotId,
                featureSetVersion, architecture, features, hyperparameters, metrics, libraryVersions, null,
                artifacts, extra);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A mutable copy for assembling a new version from the previous one, a metadata file and flags. */
    public static final class Builder {
        public ModelName modelName;
        public String version;
        public String parentVersion;
        public String reason;
        public String trainingDate;
        public String datasetSnapshotId;
        public String featureSetVersion;
        public String architecture;
        public List<String> features = new ArrayList<>();
        public Map<String, JsonNode> hyperparameters = new TreeMap<>();
        public Map<String, JsonNode> metrics = new TreeMap<>();
        public Map<String, String> libraryVersions = new TreeMap<>();
        public Environment environment;
        public List<ArtifactRef> artifacts = new ArrayList<>();
        public Map<String, JsonNode> extra = new TreeMap<>();

        public Builder() {
        }

        Builder(Metadata m) {
            modelName = m.modelName;
            version = m.version;
            parentVersion = m.parentVersion;
            reason = m.reason;
            trainingDate = m.trainingDate;
            datasetSnapshotId = m.datasetSnapshotId;
            featureSetVersion = m.featureSetVersion;
            architecture = m.architecture;
            features = new ArrayList<>(m.features);
            hyperparameters = new TreeMap<>(m.hyperparameters);
            metrics = new TreeMap<>(m.metrics);
            libraryVersions = new TreeMap<>(m.libraryVersions);
            environment = m.environment;
            artifacts = new ArrayList<>(m.artifacts);
            extra = new TreeMap<>(m.extra);
        }

        public Metadata build() {
            try {
                return new Metadata(SCHEMA, modelName, version, parentVersion, reason, trainingDate,
                        datasetSnapshotId, featureSetVersion, architecture, features, hyperparameters, metrics,
                        libraryVersions, environment, artifacts, extra);
            } catch (MverException e) {
                throw new MverException(ExitCode.USAGE, "metadata is not valid: " + e.getMessage());
            }
        }
    }
}
