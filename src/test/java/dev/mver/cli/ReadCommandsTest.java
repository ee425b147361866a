package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReadCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, Clock.offset(Clock.fixed(Instant.parse("2026-11-28T09:00:00Z"), ZoneOffset.UTC),
                Duration.ZERO), Cli.testEnv()).initRelaxed();
        Files2.random(dir.resolve("m/model.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.9.0", "-m", "first", "--artifact", "m/model.bin",
                "--param", "depth=6", "--metric", "auc=0.81", "--features", "a,b").ok();
        Files2.random(dir.resolve("m/model.bin"), 1000, 2);
        cli.run("register", "churn", "--version", "1.10.0", "-m", "second\nwith details", "--param", "depth=7",
                "--metric", "auc=0.84", "--features", "a,b,c", "--dataset", "snap-2", "--force").ok();
        Files2.random(dir.resolve("f/xgb.json"), 10, 3);
        cli.run("register", "fraud/xgb", "--version", "0.1.0", "-m", "fraud model", "--artifact", "f/xgb.json").ok();
    }

    JsonNode json(String... args) throws Exception {
        return JSON.readTree(cli.run(args).ok().out());
    }

    @Test
    void list_shows_models_with_the_latest_version_by_semver_not_by_name() throws Exception {
        Cli.Result r = cli.run("list").ok();
        assertEquals("""
                MODEL      LATEST   VERSIONS  STAGES
                churn      v1.10.0  2         -
                fraud/xgb  v0.1.0   1         -
                """, r.out());
        JsonNode j = json("list", "--json");
        assertEquals("[{\"model\":\"churn\",\"latest\":\"1.10.0\",\"versions\":2,\"stages\":{},\"deprecated\":false},"
                + "{\"model\":\"fraud/xgb\",\"latest\":\"0.1.0\",\"versions\":1,\"stages\":{},\"deprecated\":false}]",
                j.toString());
    }

    @Test
    void show_defaults_to_the_latest_version_and_accepts_both_version_spellings() throws Exception {
        assertEquals("1.10.0", json("show", "churn", "--json").get("metadata").get("version").asText());
        assertEquals("1.9.0", json("show", "churn@v1.9.0", "--json").get("metadata").get("version").asText());
        assertEquals("1.9.0", json("show", "churn@1.9.0", "--json").get("metadata").get("version").asText());
        JsonNode shown = json("show", "churn@v1.9.0", "--json");
        assertEquals("churn@v1.9.0", shown.get("tag").asText());
        assertEquals("Test User <test@example.com>", shown.get("tagger").asText());
        String human = cli.run("show", "fraud/xgb").ok().out();
        assertTrue(human.lines().anyMatch(l -> l.matches("tag +fraud/xgb@v0\\.1\\.0")), human);
        assertTrue(human.lines().anyMatch(l -> l.matches("reason +fraud model")), human);
    }

    @Test
    void log_lists_versions_newest_first_with_tagger_and_reason() throws Exception {
        Cli.Result r = cli.run("log", "churn").ok();
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].startsWith("v1.10.0 ") && lines[0].endsWith("second"), r.out());
        assertTrue(lines[1].startsWith("v1.9.0 ") && lines[1].contains("Test User") && lines[1].endsWith("first"),
                r.out());
        JsonNode j = json("log", "churn", "--json");
        assertEquals("second\nwith details", j.get(0).get("reason").asText());
        assertEquals("2026-11-28T09:00:00Z", j.get(1).get("date").asText());
    }

    @Test
    void diff_reports_hyperparameters_metrics_features_dataset_and_artifacts() throws Exception {
        JsonNode j = json("diff", "churn@v1.9.0", "churn@v1.10.0", "--json");
        String changes = j.get("changes").toString();
        assertTrue(changes.contains("{\"field\":\"hyperparameters\",\"key\":\"depth\",\"from\":6,\"to\":7}"), changes);
        assertTrue(changes.contains("{\"field\":\"metrics\",\"key\":\"auc\",\"from\":0.81,\"to\":0.84}"), changes);
        assertTrue(changes.contains("{\"field\":\"features\",\"key\":\"c\",\"from\":null,\"to\":\"c\"}"), changes);
        assertTrue(changes.contains("{\"field\":\"dataset_snapshot_id\",\"key\":null,\"from\":null,\"to\":\"snap-2\"}"),
                changes);
        assertTrue(changes.contains("\"field\":\"artifacts\",\"key\":\"m/model.bin\""), changes);
        String human = cli.run("diff", "churn@v1.9.0", "churn@v1.10.0").ok().out();
        assertTrue(human.startsWith("FIELD"), human);
        assertTrue(human.contains("hyperparameters      depth"), human);
    }

    @Test
    void unknown_models_and_versions_exit_4() {
        cli.run("show", "nope").fails(4);
        cli.run("show", "churn@v9.9.9").fails(4);
        cli.run("log", "nope").fails(4);
        cli.run("diff", "churn@v1.9.0", "churn@v3.0.0").fails(4);
        cli.run("show", "churn@vx").fails(2);
    }

    @Test
    void every_read_command_has_json_output_that_parses() throws Exception {
        for (String[] args : new String[][] {{"list", "--json"}, {"show", "churn", "--json"}, {"log", "churn", "--json"},
                {"diff", "churn@v1.9.0", "churn@v1.10.0", "--json"}, {"status", "--json"}}) {
            JsonNode node = json(args);
            assertTrue(node.isObject() || node.isArray(), String.join(" ", args));
        }
    }
}
