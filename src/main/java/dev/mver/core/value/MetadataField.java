package dev.mver.core.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The fields of a metadata record that mver compares and checks, each with its name in the record, what a change to
 * it means for the version number (architecture and features: major; new data or bytes: minor; tuning and
 * libraries: patch; none: a correction), and whether the policy may require it. {@code MetadataDiff},
 * {@code BumpRules} and the required-fields rule loop over these; a new field is one constant here.
 */
public enum MetadataField {
    DATASET_SNAPSHOT_ID("dataset_snapshot_id", "dataset", Bump.MINOR, true, true,
            m -> scalar(m.datasetSnapshotId())),
    FEATURE_SET_VERSION("feature_set_version", "feature set", Bump.MAJOR, true, true,
            m -> scalar(m.featureSetVersion())),
    ARCHITECTURE("architecture", "architecture", Bump.MAJOR, true, true, m -> scalar(m.architecture())),
    TRAINING_DATE("training_date", "training date", Bump.MINOR, false, true, m -> scalar(m.trainingDate())),
    FEATURES("features", "features", Bump.MAJOR, false, true, null),
    HYPERPARAMETERS("hyperparameters", "hyperparameters", Bump.PATCH, false, true, Metadata::hyperparameters),
    METRICS("metrics", "metrics", null, false, true, Metadata::metrics),
    LIBRARY_VERSIONS("library_versions", "library versions", Bump.PATCH, false, true,
            m -> texts(m.libraryVersions())),
    RUNTIMES("runtimes", "runtimes", null, false, false,
            m -> texts(m.environment() == null ? Map.of() : m.environment().runtimes())),
    ARTIFACTS("artifacts", "artifacts", Bump.MINOR, false, false, MetadataField::artifactHashes),
    EXTRA("extra", "extra", null, false, false, Metadata::extra),
    /** Checked for presence only: every version has its own reason and machine. */
    REASON("reason", "reason", null, false, true, null),
    ENVIRONMENT("environment", "environment", null, false, true, null);

    private final String id;
    private final String label;
    private final Bump requires;
    private final boolean showsValues;
    private final boolean requirable;
    private final Function<Metadata, Map<String, JsonNode>> entries;

    MetadataField(String id, String label, Bump requires, boolean showsValues, boolean requirable,
                  Function<Metadata, Map<String, JsonNode>> entries) {
        this.id = id;
        this.label = label;
        this.requires = requires;
        this.showsValues = showsValues;
        this.requirable = requirable;
        this.entries = entries;
    }

    /** The field's name in the record and in configuration ({@code required_fields}). */
    public String id() {
        return id;
    }

    /** The bump a change to this field needs at least; null when any change (a correction) will do. */
    public Bump requires() {
        return requires;
    }

    /** Whether the policy's {@code required_fields} may name it. */
    public boolean requirable() {
        return requirable;
    }

    /** Whether {@code diff} compares it (the reason and the environment differ in every version). */
    public boolean compared() {
        return this != REASON && this != ENVIRONMENT;
    }

    public static MetadataField byId(String id) {
        for (MetadataField f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        return null;
    }

    /** The field's content as keyed values ({@code null} is the key of a single value); for features, by name. */
    public Map<String, JsonNode> entries(Metadata m) {
        if (this == FEATURES) {
            Map<String, JsonNode> out = new TreeMap<>();
            m.features().forEach(f -> out.put(f, TextNode.valueOf(f)));
            return out;
        }
        return entries == null ? Map.of() : entries.apply(m);
    }

    /** Whether the field differs between two records (features also by order). */
    public boolean differs(Metadata a, Metadata b) {
        return this == FEATURES ? !a.features().equals(b.features()) : !entries(a).equals(entries(b));
    }

    /** Why a change to this field needs its bump, in words: "dataset changed (snap-1 -> snap-2)". */
    public String changeReason(Metadata previous, Metadata next) {
        if (this == ARTIFACTS) {
            return "artifacts changed (retrained)";
        }
        if (!showsValues) {
            return label + " changed";
        }
        JsonNode from = entries(previous).get(null);
        JsonNode to = entries(next).get(null);
        return label + " changed (" + (from == null ? null : from.asText()) + " -> " + (to == null ? null : to.asText())
                + ")";
    }

    /** Whether the field holds nothing in {@code m}: null, blank or empty. */
    public boolean isEmpty(Metadata m) {
        return switch (this) {
            case REASON -> m.reason() == null || m.reason().isBlank();
            case ENVIRONMENT -> m.environment() == null;
            case FEATURES -> m.features().isEmpty();
            case DATASET_SNAPSHOT_ID, FEATURE_SET_VERSION, ARCHITECTURE, TRAINING_DATE -> {
                JsonNode value = entries(m).get(null);
                yield value == null || value.asText().isBlank();
            }
            default -> entries(m).isEmpty();
        };
    }

    private static Map<String, JsonNode> scalar(String value) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        if (value != null) {
            out.put(null, TextNode.valueOf(value));
        }
        return out;
    }

    private static Map<String, JsonNode> texts(Map<String, String> m) {
        Map<String, JsonNode> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, TextNode.valueOf(v)));
        return out;
    }

    private static Map<String, JsonNode> artifactHashes(Metadata m) {
        Map<String, JsonNode> out = new TreeMap<>();
        m.artifacts().forEach(r -> out.put(r.path().value(), TextNode.valueOf(r.sha256().hex())));
        return out;
    }

    @Override
    public String toString() {
        return id;
    }
}
