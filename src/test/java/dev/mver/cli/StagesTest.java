package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.core.io.FileTrees;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Every event at the same second: order must come from event numbers alone. */
    static final Clock SAME_SECOND = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).withClock(SAME_SECOND).initRelaxed();
        for (int i = 0; i < 3; i++) {
            Files2.random(dir.resolve("m.bin"), 1000, i);
            cli.run("register", "churn", "--version", "1." + i + ".0", "-m", "v" + i, "--artifact", "m.bin").ok();
        }
    }

    JsonNode json(String... args) throws Exception {
        return JSON.readTree(cli.run(args).ok().out());
    }

    String production() throws Exception {
        return json("stages", "churn", "--json").get(0).get("stages").get("production").asText(null);
    }

    @Test
    void history_answers_the_same_from_the_event_cache_and_a_retagged_version_is_read_again() throws Exception {
        cli.run("promote", "churn@v1.1.0", "production", "-m", "ship\tit \\ now").ok();
        Path cache = dir.resolve(".git/mver/events");
        Files.deleteIfExists(cache);
        // The event cache is what is read when a model's snapshot is missing or out of date: none here.
        Path snapshots = dir.resolve(".git/mver/snapshots");
        Runnable noSnapshots = () -> Files2.deleteTree(snapshots);
        noSnapshots.run();
        cli.run("stages", "churn", "--at", "no-such-tag").fails(4);
        assertTrue(!Files.exists(cache), "a refused read command writes nothing, not even a cache");
        String cold = cli.run("history", "churn", "--reverse", "--json").ok().out();
        assertTrue(Files.exists(cache), "the first read remembers what each tag says");
        noSnapshots.run();
        assertEquals(cold, cli.run("history", "churn", "--reverse", "--json").ok().out());
        assertTrue(cold.contains("ship\\tit \\\\ now"), cold);
        // Proof that the second read parsed no tag: with a tag object moved away it answers the same.
        String tagObject = git(dir, "rev-parse", "churn@v1.0.0").ok().out().trim();
        Path loose = dir.resolve(".git/objects/" + tagObject.substring(0, 2) + "/" + tagObject.substring(2));
        Files.move(loose, dir.resolve("tag-object"));
        noSnapshots.run();
        assertEquals(cold, cli.run("history", "churn", "--reverse", "--json").ok().out());
        Files.move(dir.resolve("tag-object"), loose);

        // A damaged cache is only a slower read.
        noSnapshots.run();
        List<String> lines = new ArrayList<>(Files.readAllLines(cache));
        lines.set(1, lines.get(1).replace('=', '?'));
        lines.add("garbage\tline");
        Files.write(cache, lines);
        assertEquals(cold, cli.run("history", "churn", "--reverse", "--json").ok().out());
        Files.writeString(cache, "not a cache at all");
        noSnapshots.run();
        assertEquals(cold, cli.run("history", "churn", "--reverse", "--json").ok().out());

        // The same name on another tag object is another entry: never a stale answer.
        git(dir, "tag", "-f", "-a", "churn@v1.0.0", "-m", "rewritten by hand", "churn@v1.0.0^{commit}").ok();
        String reason = null;
        for (JsonNode e : JSON.readTree(cli.run("history", "churn", "--reverse", "--json").ok().out())) {
            if (e.get("tag").asText().equals("churn@v1.0.0")) {
                reason = e.get("reason").asText();
            }
        }
        assertEquals("rewritten by hand", reason);
    }

    @Test
    void promote_creates_an_annotated_stage_tag_numbered_after_the_registrations() throws Exception {
        Cli.Result r = cli.run("promote", "churn@v1.1.0", "production", "-m", "ship it").ok();
        assertTrue(r.out().contains("churn#production#4"), r.out());
        assertEquals("tag\n", git(dir, "cat-file", "-t", "churn#production#4").ok().out());
        assertEquals(git(dir, "rev-parse", "churn@v1.1.0^{commit}").ok().out(),
                git(dir, "rev-parse", "churn#production#4^{commit}").ok().out(), "stage tags sit on the version's commit");
        assertEquals("1.1.0", production());
        assertEquals("1.1.0", json("show", "churn#production", "--json").get("metadata").get("version").asText());
        JsonNode diff = json("diff", "churn#production", "churn@v1.2.0", "--json");
        assertEquals("churn@v1.1.0", diff.get("from").asText());
    }

    @Test
    void unknown_stages_deprecated_versions_and_repeated_promotions_are_refused() {
        cli.run("promote", "churn@v1.1.0", "qa", "-m", "x").fails(2);
        cli.run("deprecate", "churn@v1.2.0", "-m", "leaks labels").ok();
        assertTrue(cli.run("promote", "churn@v1.2.0", "dev", "-m", "x").fails(3).err().contains("deprecated"));
        cli.run("deprecate", "churn@v1.2.0", "-m", "again").fails(5);
        cli.run("promote", "churn@v1.1.0", "dev", "-m", "x").ok();
        cli.run("promote", "churn@v1.1.0", "dev", "-m", "x").fails(5);
        cli.run("promote", "churn@v9.0.0", "dev", "-m", "x").fails(4);
        cli.run("promote", "churn", "dev", "-m", "x").fails(2);
    }

    @Test
    void promotion_order_requires_the_previous_stage_unless_forced() throws Exception {
        Files.writeString(dir.resolve(".mver/config.json"), """
                {"schema": "mver/config/v1", "promotion_order": ["dev", "staging", "production"]}
                """);
        Cli.Result r = cli.run("promote", "churn@v1.1.0", "production", "-m", "skip").fails(3);
        assertTrue(r.err().contains("staging"), r.err());
        cli.run("promote", "churn@v1.1.0", "dev", "-m", "x").ok();
        cli.run("promote", "churn@v1.1.0", "staging", "-m", "x").ok();
        cli.run("promote", "churn@v1.1.0", "production", "-m", "x").ok();
        cli.run("promote", "churn@v1.2.0", "production", "-m", "hotfix", "--force").ok();
        assertEquals("1.2.0", production());
    }

    @Test
    void a_misspelt_config_key_is_a_usage_error() throws Exception {
        Files.writeString(dir.resolve(".mver/config.json"), "{\"schema\": \"mver/config/v1\", \"stagez\": []}\n");
        assertTrue(cli.run("stages").fails(2).err().contains("stagez"));
    }

    @Test
    void rollback_assigns_the_previous_occupant_as_a_new_event() throws Exception {
        cli.run("promote", "churn@v1.0.0", "production", "-m", "a").ok();
        cli.run("promote", "churn@v1.1.0", "production", "-m", "b").ok();
        cli.run("promote", "churn@v1.2.0", "production", "-m", "c").ok();
        Cli.Result r = cli.run("rollback", "churn", "production", "-m", "latency regression").ok();
        assertTrue(r.out().contains("rolled back to v1.1.0"), r.out());
        assertEquals("1.1.0", production());
        cli.run("rollback", "churn", "production", "--to", "v1.0.0", "-m", "further").ok();
        assertEquals("1.0.0", production());
        cli.run("rollback", "churn", "staging", "-m", "x").fails(4);
        cli.run("rollback", "churn", "production", "--to", "v9.9.9", "-m", "x").fails(4);
        JsonNode last = json("history", "churn", "--reverse", "--json");
        JsonNode event = last.get(last.size() - 1);
        assertEquals("rollback", event.get("event").asText());
        assertEquals("further", event.get("reason").asText());
        assertEquals(git(dir, "rev-parse", "churn@v1.0.0^{commit}").ok().out(),
                git(dir, "rev-parse", event.get("tag").asText() + "^{commit}").ok().out());
    }

    @Test
    void demotions_and_rollbacks_mean_something_to_later_rollbacks_and_the_promotion_order() throws Exception {
        cli.run("promote", "churn@v1.0.0", "production", "-m", "a").ok();
        cli.run("promote", "churn@v1.1.0", "production", "-m", "b").ok();
        cli.run("promote", "churn@v1.2.0", "production", "-m", "c").ok();
        cli.run("rollback", "churn", "production", "-m", "c is slow").ok();
        assertEquals("1.1.0", production());
        // A second rollback walks further back; it never returns to what the first rolled away from.
        cli.run("rollback", "churn", "production", "-m", "b is wrong too").ok();
        assertEquals("1.0.0", production());
        Cli.Result none = cli.run("rollback", "churn", "production", "-m", "again").fails(4);
        assertTrue(none.err().contains("skipped: name one with --to"), none.err());

        // A version demoted as bad is skipped by rollback.
        cli.run("promote", "churn@v1.1.0", "staging", "-m", "retest").ok();
        cli.run("promote", "churn@v1.2.0", "staging", "-m", "retest").ok();
        cli.run("demote", "churn", "staging", "-m", "failed QA").ok();
        cli.run("promote", "churn@v1.0.0", "staging", "-m", "baseline").ok();
        Cli.Result skipped = cli.run("rollback", "churn", "staging", "-m", "baseline is off").ok();
        assertTrue(skipped.out().contains("rolled back to v1.1.0"), skipped.out());

        // With a promotion order, a version demoted out of staging cannot go on to production.
        Files.writeString(dir.resolve(".mver/config.json"), """
                {"schema": "mver/config/v1", "promotion_order": ["staging", "production"]}
                """);
        Cli.Result refused = cli.run("promote", "churn@v1.2.0", "production", "-m", "ship it anyway").fails(3);
        assertTrue(refused.err().contains("was demoted from staging"), refused.err());
        cli.run("promote", "churn@v1.1.0", "production", "-m", "in staging now").ok();
    }

    @Test
    void a_deprecated_model_is_retired_until_a_forced_registration_brings_it_back() throws Exception {
        git(dir, "tag", "-a", "churn@deprecated", "-m", "retired in favour of churn2").ok();
        Cli cli = new Cli(dir); // now, after the deprecation (this class's other events carry an earlier time)
        Files2.random(dir.resolve("m.bin"), 1000, 9);
        Cli.Result register = cli.run("register", "churn", "--bump", "minor", "-m", "more").fails(3);
        assertTrue(register.err().contains("model churn is deprecated (churn@deprecated)"), register.err());
        assertTrue(cli.run("promote", "churn@v1.2.0", "production", "-m", "x").fails(3).err().contains("retired"));
        Path out = dir.resolveSibling(dir.getFileName() + "-release");
        assertTrue(cli.run("release", "--tag", "churn@v1.2.0", "--out", out.toString()).fails(3).err()
                .contains("a retired model is not released"));
        JsonNode ref = json("check-ref", "churn@deprecated", "--json");
        assertEquals("model_deprecation", ref.get("event").asText());
        assertTrue(ref.get("version").isNull(), ref.toString());

        // A second later (within one second, a numbered event sorts first).
        cli = cli.withClock(Clock.offset(Clock.systemUTC(), java.time.Duration.ofSeconds(2)));
        cli.run("register", "churn", "--bump", "minor", "-m", "back in service", "--force").ok();
        assertFalse(cli.run("stages", "churn").ok().out().contains("deprecated"));
        cli.run("promote", "churn@v1.3.0", "production", "-m", "live again").ok();
    }

    @Test
    void a_clock_a_month_behind_is_refused_or_flagged_and_never_rewrites_the_past() throws Exception {
        Cli onTime = cli.withClock(Clock.fixed(Instant.parse("2026-11-29T10:00:00Z"), ZoneOffset.UTC));
        Cli behind = cli.withClock(Clock.fixed(Instant.parse("2026-10-29T10:00:00Z"), ZoneOffset.UTC));
        onTime.run("promote", "churn@v1.0.0", "production", "-m", "first").ok();
        Cli.Result refused = behind.run("promote", "churn@v1.1.0", "production", "-m", "second").fails(3);
        assertTrue(refused.err().contains("31 days before churn's latest event") && refused.err().contains("--force"),
                refused.err());
        Cli.Result forced = behind.run("promote", "churn@v1.1.0", "production", "-m", "second", "--force").ok();
        assertTrue(forced.err().contains("clock (or GIT_COMMITTER_DATE) is behind"), forced.err());

        assertEquals("1.1.0", json("stages", "churn", "--at", "2026-11-30", "--json").get(0).get("stages")
                .get("production").asText());
        // Before anything was registered, nothing was in production, whatever the late event's date says.
        assertTrue(json("stages", "churn", "--at", "2026-11-01", "--json").get(0).get("stages").get("production")
                .isNull());
        String audit = cli.run("audit", "--format", "json", "--since", "2026-11-29").ok().out();
        assertTrue(audit.contains("churn#production#5"), "the live promotion is in the audit: " + audit);
        assertTrue(cli.run("verify", "--json").ok().out().contains("churn#production#5 is dated before an earlier"));
        assertTrue(cli.run("history", "churn").ok().out().contains("note: churn#production#5 is dated before"));
        // A rollback, what a team reaches for when something is wrong, is never held up by a clock: it warns.
        Cli.Result rollback = behind.run("rollback", "churn", "production", "-m", "back");
        assertEquals(0, rollback.code(), rollback.err());
        assertTrue(rollback.err().contains("behind"), rollback.err());
    }

    @Test
    void gto_counted_forms_are_read_lightweight_tags_ignored_and_a_deprecated_version_is_never_latest() throws Exception {
        Cli now = new Cli(dir);
        git(dir, "tag", "-a", "churn@v1.2.0!#4", "-m", "deregistered with gto", "churn@v1.2.0").ok();
        git(dir, "tag", "-a", "gtomodel@v0.1.0#1", "-m", "registered with gto register --simple false").ok();
        git(dir, "tag", "-a", "gtomodel@deprecated#2", "-m", "gto deprecate --force").ok();
        git(dir, "tag", "ghost@v1.0.0").ok(); // lightweight: GTO ignores it, and so does every listing
        git(dir, "tag", "churn@v9.0.0").ok(); // above churn's versions, and just as lightweight
        git(dir, "tag", "-a", "gtomodel@created", "-m", "gto annotation").ok();
        String list = now.run("list").ok().out();
        assertTrue(list.contains("churn") && list.contains("v1.1.0") && !list.contains("ghost"), list);
        assertTrue(now.run("show", "churn", "--json").ok().out().contains("\"version\": \"1.1.0\""));
        String stages = now.run("stages").ok().out();
        assertTrue(stages.contains("gtomodel (deprecated)") && !stages.contains("ghost"), stages);
        String verify = now.run("verify").out();
        assertFalse(verify.contains("malformed"), verify);
        assertTrue(now.run("history", "churn", "--reverse", "--json").ok().out().contains("churn@v1.2.0!#4"));
    }

    @Test
    void demote_empties_the_stage_with_a_gto_unassign_tag() throws Exception {
        cli.run("promote", "churn@v1.1.0", "staging", "-m", "x").ok();
        Cli.Result r = cli.run("demote", "churn", "staging", "-m", "failed QA").ok();
        assertTrue(r.out().contains("churn#staging!#5"), r.out());
        assertTrue(json("stages", "churn", "--json").get(0).get("stages").get("staging").isNull());
        cli.run("demote", "churn", "staging", "-m", "x").fails(4);
    }

    @Test
    void history_is_ordered_by_event_number_even_within_one_second() throws Exception {
        cli.run("promote", "churn@v1.2.0", "staging", "-m", "s").ok();
        cli.run("promote", "churn@v1.0.0", "production", "-m", "p").ok();
        cli.run("deprecate", "churn@v1.1.0", "-m", "d").ok();
        cli.run("demote", "churn", "staging", "-m", "x").ok();
        JsonNode h = json("history", "churn", "--reverse", "--json");
        List<String> seen = new ArrayList<>();
        for (JsonNode e : h) {
            seen.add(e.get("number").asInt() + ":" + e.get("event").asText());
        }
        assertEquals(List.of("1:registration", "2:registration", "3:registration", "4:promotion", "5:promotion",
                "6:deprecation", "7:demotion"), seen);
        assertTrue(h.get(3).get("by").asText().contains("Test User"));
    }

    @Test
    void stages_at_a_time_or_a_tag_show_the_past() throws Exception {
        cli.withClock(Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC))
                .run("promote", "churn@v1.0.0", "production", "-m", "a").ok();
        cli.withClock(Clock.fixed(Instant.parse("2026-12-10T12:00:00Z"), ZoneOffset.UTC))
                .run("promote", "churn@v1.1.0", "production", "-m", "b").ok();
        assertEquals("1.0.0", json("stages", "churn", "--at", "2026-12-05", "--json").get(0).get("stages")
                .get("production").asText());
        assertEquals("1.0.0", json("stages", "churn", "--at", "2026-12-10T11:59:59Z", "--json").get(0).get("stages")
                .get("production").asText());
        assertEquals("1.0.0", json("stages", "--at", "churn#production#4", "--json").get(0).get("stages")
                .get("production").asText());
        assertEquals("1.1.0", json("stages", "--json").get(0).get("stages").get("production").asText());
        cli.run("stages", "--at", "churn#production#99").fails(4);
        Cli.Result badDate = cli.run("stages", "--at", "2026-13-45").fails(2);
        assertTrue(badDate.err().contains("neither a date (2026-11-01), a date-time"), badDate.err());
        String human = cli.run("stages").ok().out();
        assertTrue(human.startsWith("MODEL  DEV  STAGING  PRODUCTION\nchurn  -    -        v1.1.0"), human);
    }

    @Test
    void tags_made_by_gto_with_git_are_read_by_list_stages_and_history() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("gto"));
        git(repo, "init", "-q").ok();
        Files2.write(repo.resolve("model.pkl"), "weights");
        git(repo, "add", ".").ok();
        git(repo, "commit", "-qm", "model").ok();
        git(repo, "tag", "-a", "nn@v0.1.0", "-m", "Registering artifact nn version v0.1.0").ok();
        git(repo, "tag", "-a", "nn#prod#1", "-m", "Assigning stage prod to artifact nn version v0.1.0").ok();
        git(repo, "commit", "-q", "--allow-empty", "-m", "retrain").ok();
        git(repo, "tag", "-a", "nn@v0.2.0", "-m", "Registering v0.2.0").ok();
        git(repo, "tag", "-a", "nn#prod#2", "-m", "Assigning prod to v0.2.0").ok();
        git(repo, "tag", "-a", "nn#prod!#3", "-m", "Unassigning prod").ok();
        git(repo, "tag", "-a", "nn#dev", "-m", "simple mode assignment").ok();
        git(repo, "tag", "-a", "nn@v0.1.0!", "nn@v0.1.0^{commit}", "-m", "Deregistering v0.1.0").ok();
        git(repo, "tag", "-a", "models=rf@v1.0.0", "-m", "monorepo artifact").ok();
        git(repo, "tag", "-a", "old@v1.0.0", "-m", "r").ok();
        git(repo, "tag", "-a", "old@deprecated", "-m", "model retired").ok();
        Cli in = new Cli(repo);
        in.run("init").ok();

        JsonNode list = JSON.readTree(in.run("list", "--json").ok().out());
        assertEquals("[{\"model\":\"models=rf\",\"latest\":\"1.0.0\",\"versions\":1,\"stages\":{},"
                + "\"deprecated\":false},{\"model\":\"nn\",\"latest\":\"0.2.0\",\"versions\":2,\"stages\":{\"dev\":"
                + "\"0.2.0\"},\"deprecated\":false},{\"model\":\"old\",\"latest\":\"1.0.0\",\"versions\":1,\"stages\":{},"
                + "\"deprecated\":true}]", list.toString());
        JsonNode stages = JSON.readTree(in.run("stages", "--json").ok().out());
        JsonNode nn = stages.get(1);
        assertEquals("nn", nn.get("model").asText());
        assertTrue(nn.get("stages").get("prod").isNull(), nn.toString());
        assertEquals("0.2.0", nn.get("stages").get("dev").asText(), nn.toString());
        assertEquals("[\"0.1.0\"]", nn.get("deprecated_versions").toString());
        assertTrue(stages.get(2).get("deprecated").asBoolean());

        JsonNode history = JSON.readTree(in.run("history", "nn", "--reverse", "--json").ok().out());
        List<String> events = new ArrayList<>();
        history.forEach(e -> events.add(e.get("event").asText() + " " + e.get("version").asText()
                + (e.get("stage").isNull() ? "" : " " + e.get("stage").asText())));
        assertTrue(events.containsAll(List.of("registration 0.1.0", "promotion 0.1.0 prod", "registration 0.2.0",
                "promotion 0.2.0 prod", "demotion 0.2.0 prod", "promotion 0.2.0 dev", "deprecation 0.1.0")), events.toString());
        // All made within one second: registrations first, GTO's stage numbers in order, deprecation last.
        assertTrue(events.indexOf("registration 0.1.0") < events.indexOf("promotion 0.1.0 prod"), events.toString());
        assertTrue(events.indexOf("promotion 0.1.0 prod") < events.indexOf("promotion 0.2.0 prod")
                && events.indexOf("promotion 0.2.0 prod") < events.indexOf("demotion 0.2.0 prod"), events.toString());
        assertEquals("deprecation 0.1.0", events.get(events.size() - 1), events.toString());
        Cli.Result verify = in.run("verify").ok();
        assertTrue(verify.out().contains("from other tools"), verify.out());
    }

    @Test
    void history_and_stages_are_identical_in_a_clone() throws Exception {
        cli.run("promote", "churn@v1.0.0", "production", "-m", "a").ok();
        cli.run("promote", "churn@v1.1.0", "production", "-m", "b").ok();
        cli.run("rollback", "churn", "production", "-m", "c").ok();
        Path clone = dir.resolveSibling(dir.getFileName() + "-clone");
        git(dir.getParent(), "clone", "-q", dir.toString(), clone.toString()).ok();
        // The bytes are one machine's shared cache away: verify's verdict on which versions can be rebuilt is the same.
        git(clone, "config", "mver.cacheDir", dir.resolve(".git/mver").toString()).ok();
        try {
            Cli other = new Cli(clone);
            for (String[] args : new String[][] {{"history", "churn", "--reverse", "--json"}, {"stages", "--json"},
                    {"audit", "--format", "json"}, {"verify", "--json"}}) {
                assertEquals(cli.run(args).ok().out(), other.run(args).ok().out(), String.join(" ", args));
            }
        } finally {
            FileTrees.delete(clone);
        }
    }

    @Test
    void verify_reports_retagged_versions_lightweight_tags_and_forged_payloads() throws Exception {
        cli.run("promote", "churn@v1.0.0", "production", "-m", "a").ok();
        assertTrue(cli.run("verify").ok().out().startsWith("ok: 4 tags, 4 verified"));

        // Re-create v1.0.0 with the same message: a new tag object, so v1.1.0's link no longer matches.
        String message = git(dir, "tag", "-l", "--format=%(contents)", "churn@v1.0.0").ok().out();
        Files.writeString(dir.resolve("msg"), message);
        git(dir, "tag", "-f", "-a", "-F", "msg", "churn@v1.0.0", "churn@v1.0.0^{commit}").ok();
        git(dir, "tag", "churn@v5.0.0").ok();
        git(dir, "tag", "-a", "churn#production#9", "churn@v1.2.0^{commit}", "-m",
                "forged\n\n{\"schema\":\"mver/event/v1\",\"model\":\"churn\",\"event\":\"promote\",\"version\":\"1.0.0\","
                        + "\"stage\":\"production\",\"number\":9,\"previous\":null,\"reason\":\"x\"}").ok();
        Cli.Result r = cli.run("verify", "--json");
        assertEquals(6, r.code(), r.err());
        String problems = JSON.readTree(r.out()).get("problems").toString();
        assertTrue(problems.contains("churn@v1.1.0") && problems.contains("re-tagged"), problems);
        assertTrue(problems.contains("churn@v5.0.0") && problems.contains("lightweight"), problems);
        assertTrue(problems.contains("churn#production#9") && problems.contains("different commit"), problems);
    }

    @Test
    void audit_lists_every_change_with_who_and_why_in_three_formats() throws Exception {
        cli.run("promote", "churn@v1.1.0", "production", "-m", "quarterly, \"approved\"").ok();
        JsonNode json = json("audit", "--format", "json");
        JsonNode events = json.get(0).get("events");
        assertEquals(4, events.size());
        assertEquals("v1", events.get(1).get("reason").asText());
        assertEquals("1.0.0", events.get(1).get("parent_version").asText());
        // A second audit answers the records' fields from the event cache: the same report.
        assertEquals(json, json("audit", "--format", "json"));
        String csv = cli.run("audit", "--format", "csv").ok().out();
        assertTrue(csv.startsWith("model,number,event,version,stage,at,by,reason,"), csv);
        assertTrue(csv.contains(",\"quarterly, \"\"approved\"\"\","), csv);
        String md = cli.run("audit", "--format", "md").ok().out();
        assertTrue(md.contains("## churn") && md.contains("| 4 | promotion | 1.1.0 | production |"), md);
        assertEquals(0, JSON.readTree(cli.run("audit", "--json", "--since", "2026-11-29").ok().out()).size());
        cli.run("audit", "--since", "last week").fails(2);
        git(dir, "tag", "-a", "gto@v1.0.0", "-m", "registered by gto").ok();
        JsonNode foreign = json("audit", "--format", "json");
        assertEquals(foreign, json("audit", "--format", "json"), "a version without a record is remembered too");
    }
}
