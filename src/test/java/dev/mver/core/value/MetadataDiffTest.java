package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.IntNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What changed between two records, field by field and key by key. */
class MetadataDiffTest {
    static Metadata record(String version, java.util.function.Consumer<Metadata.Builder> fill) {
        Metadata.Builder b = new Metadata.Builder();
        b.modelName = ModelName.of("churn");
        b.version = version;
        b.reason = "because " + version;
        fill.accept(b);
        return b.build();
    }

    static List<String> changes(Metadata a, Metadata b) {
        return MetadataDiff.between(a, b).stream().map(c -> c.field() + (c.key() == null ? "" : "[" + c.key() + "]")
                + " " + (c.from() == null ? "-" : c.from().asText()) + " -> " + (c.to() == null ? "-" : c.to().asText()))
                .toList();
    }

    @Test
    void identical_records_but_for_version_and_reason_have_no_differences() {
        assertEquals(List.of(), changes(record("1.0.0", b -> b.datasetSnapshotId = "s"),
                record("1.0.1", b -> b.datasetSnapshotId = "s")));
    }

    @Test
    void scalars_maps_features_and_artifacts_are_compared_in_field_order() {
        Sha256 one = Sha256.hash(new byte[] {1});
        Sha256 two = Sha256.hash(new byte[] {2});
        Metadata a = record("1.0.0", b -> {
            b.datasetSnapshotId = "snap-1";
            b.features = List.of("a", "b");
            b.hyperparameters.put("depth", IntNode.valueOf(6));
            b.hyperparameters.put("lr", IntNode.valueOf(1));
            b.artifacts = List.of(new ArtifactRef(RepoPath.of("m.bin"), ArtifactType.FILE, one, 1));
        });
        Metadata b2 = record("1.1.0", b -> {
            b.datasetSnapshotId = "snap-2";
            b.features = List.of("a", "c");
            b.hyperparameters.put("depth", IntNode.valueOf(8));
            b.metrics.put("auc", IntNode.valueOf(1));
            b.artifacts = List.of(new ArtifactRef(RepoPath.of("m.bin"), ArtifactType.FILE, two, 1));
        });
        assertEquals(List.of(
                "dataset_snapshot_id snap-1 -> snap-2",
                "features[b] b -> -",
                "features[c] - -> c",
                "hyperparameters[depth] 6 -> 8",
                "hyperparameters[lr] 1 -> -",
                "metrics[auc] - -> 1",
                "artifacts[m.bin] " + one.hex() + " -> " + two.hex()), changes(a, b2));
    }

    @Test
    void reordered_features_are_one_change_of_order() {
        assertEquals(List.of("features[(order)] a,b -> b,a"), changes(record("1.0.0", b -> b.features = List.of("a", "b")),
                record("2.0.0", b -> b.features = List.of("b", "a"))));
    }

    @Test
    void runtimes_and_extra_are_compared_but_the_environment_as_a_whole_is_not() {
        Metadata a = record("1.0.0", b -> b.environment = new Environment("linux", "6.1", "x86_64",
                Map.of("python", "3.11.7"), Map.of()));
        Metadata b2 = record("1.0.1", b -> {
            b.environment = new Environment("darwin", "14", "arm64", Map.of("python", "3.12.1"), Map.of());
            b.extra.put("owner", new com.fasterxml.jackson.databind.node.TextNode("ml-team"));
        });
        assertEquals(List.of("runtimes[python] 3.11.7 -> 3.12.1", "extra[owner] - -> ml-team"), changes(a, b2));
    }
}
