package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/** What changed between two versions' metadata records, field by field and key by key. */
public final class MetadataDiff {
    private MetadataDiff() {
    }

    /** One difference; {@code key} is null for single-valued fields, {@code from} or {@code to} null when absent. */
    @JsonPropertyOrder({"field", "key", "from", "to"})
    public record Change(String field, String key, JsonNode from, JsonNode to) {
    }

    public static List<Change> between(Metadata a, Metadata b) {
        List<Change> changes = new ArrayList<>();
        scalar(changes, "dataset_snapshot_id", a.datasetSnapshotId(), b.datasetSnapshotId());
        scalar(changes, "feature_set_version", a.featureSetVersion(), b.featureSetVersion());
        scalar(changes, "architecture", a.architecture(), b.architecture());
        scalar(changes, "training_date", a.trainingDate(), b.trainingDate());
        TreeSet<String> features = new TreeSet<>(a.features());
        features.addAll(b.features());
        for (String f : features) {
            boolean inA = a.features().contains(f);
            boolean inB = b.features().contains(f);
            if (inA != inB) {
                changes.add(new Change("features", f, inA ? TextNode.valueOf(f) : null, inB ? TextNode.valueOf(f) : null));
            }
        }
        if (features.size() == a.features().size() && features.size() == b.features().size()
                && !a.features().equals(b.features())) {
            changes.add(new Change("features", "(order)", text(String.join(",", a.features())),
                    text(String.join(",", b.features()))));
        }
        map(changes, "hyperparameters", a.hyperparameters(), b.hyperparameters());
        map(changes, "metrics", a.metrics(), b.metrics());
        map(changes, "library_versions", texts(a.libraryVersions()), texts(b.libraryVersions()));
        map(changes, "runtimes", texts(a.environment() == null ? Map.of() : a.environment().runtimes()),
                texts(b.environment() == null ? Map.of() : b.environment().runtimes()));
        Map<String, JsonNode> artifactsA = new TreeMap<>();
        Map<String, JsonNode> artifactsB = new TreeMap<>();
        a.artifacts().forEach(r -> artifactsA.put(r.path().value(), text(r.sha256().hex())));
        b.artifacts().forEach(r -> artifactsB.put(r.path().value(), text(r.sha256().hex())));
        map(changes, "artifacts", artifactsA, artifactsB);
        map(changes, "extra", a.extra(), b.extra());
        return changes;
    }

    private static void scalar(List<Change> changes, String field, String a, String b) {
        if (!Objects.equals(a, b)) {
            changes.add(new Change(field, null, text(a), text(b)));
        }
    }

    private static void map(List<Change> changes, String field, Map<String, JsonNode> a, Map<String, JsonNode> b) {
        TreeSet<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        for (String k : keys) {
            JsonNode x = a.get(k);
            JsonNode y = b.get(k);
            if (!Objects.equals(x, y)) {
                changes.add(new Change(field, k, x, y));
            }
        }
    }

    private static Map<String, JsonNode> texts(Map<String, String> m) {
        Map<String, JsonNode> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, text(v)));
        return out;
    }

    private static JsonNode text(String s) {
        return s == null ? null : TextNode.valueOf(s);
    }
}
