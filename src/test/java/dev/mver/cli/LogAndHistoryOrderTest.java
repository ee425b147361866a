package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log and history share one order (newest first, --reverse) and both work across all models without a name. */
class LogAndHistoryOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Cli cli;

    @BeforeEach
    void setUp() {
        Path repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("a.bin"), 1000, 1);
        Files2.random(repo.resolve("b.bin"), 1000, 2);
        // A minute apart: across models, events are ordered by time (a tag's time has whole seconds).
        at(0).run("register", "alpha", "--version", "1.0.0", "-m", "a1", "--artifact", "a.bin").ok();
        at(1).run("register", "beta", "--version", "1.0.0", "-m", "b1", "--artifact", "b.bin").ok();
        at(2).run("promote", "alpha@v1.0.0", "production", "-m", "ship").ok();
    }

    Cli at(int minutes) {
        return cli.withClock(Clock.fixed(Instant.parse("2026-11-30T10:00:00Z").plusSeconds(60L * minutes),
                ZoneOffset.UTC));
    }

    List<String> field(String field, String... args) throws Exception {
        List<String> out = new ArrayList<>();
        JSON.readTree(cli.run(args).ok().out()).forEach(e -> out.add(e.get(field).asText()));
        return out;
    }

    @Test
    void history_is_newest_first_for_one_model_or_all_and_reverse_turns_it_round() throws Exception {
        assertEquals(List.of("alpha#production#2", "alpha@v1.0.0"), field("tag", "history", "alpha", "--json"));
        assertEquals(List.of("alpha@v1.0.0", "alpha#production#2"), field("tag", "history", "alpha", "--reverse",
                "--json"));
        List<String> all = field("tag", "history", "--json");
        assertEquals(3, all.size());
        assertEquals("alpha#production#2", all.get(0));
        assertTrue(cli.run("history").ok().out().lines().allMatch(l -> l.startsWith("alpha ") || l.startsWith("beta ")),
                "every row names its model");
    }

    @Test
    void log_is_newest_first_for_one_model_or_all_and_names_the_model() throws Exception {
        Files2.random(tmp.resolve("repo/a.bin"), 1000, 3);
        at(3).run("register", "alpha", "--version", "1.1.0", "-m", "a2").ok();
        assertEquals(List.of("1.1.0", "1.0.0"), field("version", "log", "alpha", "--json"));
        assertEquals(List.of("1.0.0", "1.1.0"), field("version", "log", "alpha", "--reverse", "--json"));
        JsonNode all = JSON.readTree(cli.run("log", "--json").ok().out());
        assertEquals(3, all.size());
        assertEquals("alpha", all.get(0).get("model").asText());
        assertEquals("1.1.0", all.get(0).get("version").asText());
        assertTrue(cli.run("log").ok().out().contains("beta"), "rows name their model");
    }

    @Test
    void show_log_and_list_say_which_stages_a_version_holds_and_whether_it_is_deprecated() throws Exception {
        Files2.random(tmp.resolve("repo/a.bin"), 1000, 4);
        at(3).run("register", "alpha", "--version", "1.1.0", "-m", "a2").ok();
        at(4).run("deprecate", "alpha@v1.1.0", "-m", "bad data").ok();
        JsonNode show = JSON.readTree(cli.run("show", "alpha@v1.0.0", "--json").ok().out());
        assertEquals("[\"production\"]", show.get("stages").toString());
        String human = cli.run("show", "alpha@v1.1.0").ok().out();
        assertTrue(human.contains("deprecated") && human.matches("(?s).*stages\\s+-.*"), human);
        String log = cli.run("log", "alpha").ok().out();
        assertTrue(log.contains("v1.1.0 (deprecated)") && log.contains("v1.0.0 [production]"), log);
        JsonNode list = JSON.readTree(cli.run("list", "--json").ok().out());
        assertEquals("{\"production\":\"1.0.0\"}", list.get(0).get("stages").toString());
        assertTrue(cli.run("list").ok().out().contains("production=v1.0.0"));
    }
}
