package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Conditions on a record: numbers as numbers, text as text, keys that hold dots, nested keys, missing fields. */
class RecordFilterTest {
    private static final JsonNode RECORD = Json.parseTree(("{\"dataset_snapshot_id\": \"snap-2026-11\", "
            + "\"training_date\": \"2026-11-02\", \"metrics\": {\"auc\": 0.85, \"val.auc\": 0.8}, "
            + "\"hyperparameters\": {\"max_depth\": 6, \"criterion\": \"gini\"}, "
            + "\"extra\": {\"mlflow\": {\"run_id\": \"abc\"}}}").getBytes(StandardCharsets.UTF_8), "record",
            ExitCode.INTERNAL);

    private static boolean where(String condition) {
        return RecordFilter.parse(condition).matches(RECORD);
    }

    @Test
    void numbers_compare_as_numbers_and_text_as_text() {
        assertTrue(where("metrics.auc>=0.85"));
        assertTrue(where("metrics.auc=0.850"));
        assertFalse(where("metrics.auc>0.85"));
        assertTrue(where("hyperparameters.max_depth<10"), "6 < 10 as numbers, not as text");
        assertTrue(where("hyperparameters.criterion=gini"));
        assertTrue(where("training_date>=2026-11-01"), "ISO dates order as text");
        assertTrue(where("dataset_snapshot_id != snap-1"));
    }

    @Test
    void keys_with_dots_nested_keys_and_missing_fields() {
        assertTrue(where("metrics.val.auc=0.8"));
        assertTrue(where("extra.mlflow.run_id=abc"));
        assertFalse(where("metrics.f1>0"), "a field the record lacks matches nothing");
        assertFalse(where("metrics.f1!=0"));
        assertFalse(where("metrics=1"), "a whole map is no value");
    }
}
