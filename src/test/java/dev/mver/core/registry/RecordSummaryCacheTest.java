package dev.mver.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the event cache keeps of a record comes back as the record had it, and an older entry is read again. */
class RecordSummaryCacheTest {
    @Test
    void a_summary_comes_back_with_its_metrics_as_written() {
        Map<String, JsonNode> metrics = new TreeMap<>();
        Json.parseTree(("{\"auc\": 0.8123, \"val.loss\": 3, \"note\": \"NaN\\tand\\nmore \\\\ text\", \"per_class\": "
                + "{\"a\": 0.5}}").getBytes(java.nio.charset.StandardCharsets.UTF_8), "metrics", ExitCode.INTERNAL)
                .fields().forEachRemaining(e -> metrics.put(e.getKey(), e.getValue())); // as a record is read
        EventLog.RecordSummary s = new EventLog.RecordSummary("snap\n1", null, "1.0.0", metrics);
        assertEquals(s, EventCache.decodeRecord(EventCache.encodeRecord(s)));
        assertEquals("0.8123", EventCache.decodeRecord(EventCache.encodeRecord(s)).metrics().get("auc").decimalValue()
                .toPlainString(), "the exact value, not a double's");
    }

    @Test
    void a_version_without_a_record_and_an_entry_from_before_metrics_were_kept_decode_to_nothing() {
        assertEquals("-", EventCache.encodeRecord(null));
        assertNull(EventCache.decodeRecord("-"));
        assertNull(EventCache.decodeRecord("=snap-1\n\n=1.0.0"), "three lines: the record is read again");
    }

    @TempDir
    java.nio.file.Path tmp;

    @Test
    void one_query_remembers_every_versions_summary_the_newest_too() throws Exception {
        java.nio.file.Path repo = dev.mver.testing.Repos.relaxed(tmp, "repo");
        dev.mver.testing.Cli cli = new dev.mver.testing.Cli(repo);
        for (int i = 1; i <= 3; i++) {
            dev.mver.testing.Files2.random(repo.resolve("m.bin"), 1000, i);
            cli.run("register", "m", "--version", "1." + i + ".0", "-m", "r", "--artifact", "m.bin", "--metric",
                    "auc=0.7" + i).ok();
        }
        cli.run("log", "m", "--where", "metrics.auc>0").ok();
        String cache = java.nio.file.Files.readString(repo.resolve(".git/mver/events"));
        for (int i = 1; i <= 3; i++) {
            // The newest registration came from the snapshot register wrote, not from a read of the refs.
            assertTrue(cache.contains("0.7" + i), "v1." + i + ".0's metrics are remembered: " + cache);
        }
    }
}
