package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.ops.MetadataInput;
import dev.mver.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
    static Metadata sample(Map<String, String> params) {
        Metadata.Builder b = new Metadata.Builder();
        b.modelName = ModelName.of("churn");
        b.version = "1.2.0";
        b.reason = "retrained";
        b.datasetSnapshotId = "snap-1";
        b.features = List.of("tenure", "charges");
        params.forEach((k, v) -> b.hyperparameters.put(k, MetadataInput.scalar(v)));
        b.metrics.put("auc", MetadataInput.scalar("0.910"));
        b.libraryVersions.put("numpy", "2.1.3");
        b.artifacts = List.of(new ArtifactRef(RepoPath.of("m/model.bin"), ArtifactType.FILE,
                Sha256.hash(new byte[] {1}), 1));
        return b.build();
    }

    @Test
    void writes_sorted_keys_two_space_indent_and_a_trailing_newline() {
        Map<String, String> a = new TreeMap<>(Map.of("lr", "0.1", "depth", "6"));
        String json = Json.canonical(sample(a));
        assertTrue(json.startsWith("{\n  \"schema\": \"mver/metadata/v1\",\n  \"model_name\": \"churn\",\n"), json);
        assertTrue(json.endsWith("}\n"));
        assertTrue(json.indexOf("\"depth\": 6") < json.indexOf("\"lr\": 0.1"), json);
        assertTrue(json.contains("\"auc\": 0.910"), "numbers keep the digits they were given: " + json);
        assertTrue(json.contains("\"parent_version\": null"), "absent fields stay in the shape: " + json);
        assertTrue(!json.contains("\r") && !json.contains("\t"));
    }

    @Test
    void the_same_record_gives_the_same_bytes_whatever_the_insertion_order() {
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put("lr", "0.1");
        a.put("depth", "6");
        Map<String, String> b = new java.util.LinkedHashMap<>();
        b.put("depth", "6");
        b.put("lr", "0.1");
        assertArrayEquals(sample(a).toCanonicalBytes(), sample(b).toCanonicalBytes());
    }

    @Test
    void parse_of_canonical_output_round_trips_exactly() {
        Metadata m = sample(Map.of("lr", "0.1", "name", "gbt", "on", "true"));
        byte[] bytes = m.toCanonicalBytes();
        Metadata back = Metadata.parse(bytes, "test");
        assertEquals(m, back);
        assertArrayEquals(bytes, back.toCanonicalBytes());
    }

    @Test
    void rejects_unknown_keys_trailing_content_duplicates_and_deep_nesting() {
        String ok = new String(sample(Map.of()).toCanonicalBytes(), StandardCharsets.UTF_8);
        List<String> bad = List.of(
                ok.replace("\"reason\"", "\"reasons\""),
                ok + "{}",
                ok.replace("\"reason\": \"retrained\"", "\"reason\": \"a\", \"reason\": \"b\""),
                ok.replace("\"extra\": {}", "\"extra\": " + "{\"a\":".repeat(200) + "1" + "}".repeat(200)),
                ok.replace("\"sha256\": \"", "\"sha256\": \"../"),
                ok.replace("\"m/model.bin\"", "\"../model.bin\""),
                "[]", "null", "not json");
        for (String text : bad) {
            MverException e = assertThrows(MverException.class,
                    () -> Metadata.parse(text.getBytes(StandardCharsets.UTF_8), "metadata"), text);
            assertEquals(ExitCode.USAGE, e.exitCode());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    @Test
    void mutated_metadata_is_parsed_or_rejected_with_one_line_never_a_crash() {
        byte[] valid = sample(Map.of("lr", "0.1")).toCanonicalBytes();
        Random random = new Random(99);
        for (int i = 0; i < 5_000; i++) {
            byte[] m = Mutations.mutate(valid, random);
            try {
                Metadata.parse(m, "metadata");
            } catch (MverException e) {
                assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            }
        }
    }
}
