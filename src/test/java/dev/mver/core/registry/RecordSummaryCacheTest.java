package dev.mver.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

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
}
