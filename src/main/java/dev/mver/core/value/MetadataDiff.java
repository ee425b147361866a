package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/** What changed between two versions' metadata records, field by field and key by key. */
public final class MetadataDiff {
    private MetadataDiff() {
    }

    /** One difference; {@code key} is null for single-valued fields, {@code from} or {@code to} null when absent. */
    @JsonPropertyOrder({"field", "key", "from", "to"})
    public record Change(String field, String key, JsonNode from, JsonNode to) {
    }

    /** Every difference, field by field in {@link MetadataField} order, key by key within a field. */
    public static List<Change> between(Metadata a, Metadata b) {
        List<Change> changes = new ArrayList<>();
        for (MetadataField field : MetadataField.values()) {
            if (!field.compared()) {
                continue;
            }
            Map<String, JsonNode> x = field.entries(a);
            Map<String, JsonNode> y = field.entries(b);
            TreeSet<String> keys = new TreeSet<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
            keys.addAll(x.keySet());
            keys.addAll(y.keySet());
            for (String k : keys) {
                if (!Objects.equals(x.get(k), y.get(k))) {
                    changes.add(new Change(field.id(), k, x.get(k), y.get(k)));
                }
            }
            if (field == MetadataField.FEATURES && keys.size() == a.features().size()
                    && keys.size() == b.features().size() && !a.features().equals(b.features())) {
                changes.add(new Change(field.id(), "(order)", TextNode.valueOf(String.join(",", a.features())),
                        TextNode.valueOf(String.join(",", b.features()))));
            }
        }
        return changes;
    }
}
