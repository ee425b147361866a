package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GTO's own test scenarios (iterative/gto, tests/), ported as a conformance suite: each test builds the registry
 * GTO's test builds, its tags made with plain `git tag -a` as GTO writes them (tag names, messages, tagger, times),
 * reads it with mver's read commands and asserts the answer GTO's test expects. Where mver answers differently on
 * purpose, the README's table of differences says so and the assertion names the row. GTO's event names map to
 * mver's: assignment = promotion, unassignment = demotion, deregistration = deprecation (of a version),
 * deprecation = model_deprecation.
 *
 * <p>Sources: the `showcase` fixture of tests/conftest.py with tests/test_showcase.py::test_api,
 * tests/test_cli.py::test_commands, tests/test_registry.py::test_registry_state_tag_tag and
 * tests/test_api.py::test_check_ref_multiple_showcase; tests/test_api.py::test_register_deregister, test_assign,
 * test_assign_skip_registration, test_assign_force_is_needed, test_unassign, test_deprecate,
 * test_check_ref_detailed, test_check_ref_catch_the_bug; tests/test_cli.py::test_register and
 * test_deprecate_unassign_and_artifact; tests/test_tag.py::test_name_tag, test_parse_name,
 * test_parse_correct_names, test_parse_wrong_names, test_lightweight_tag and test_parse_tag_created_at_timezone;
 * GTO's rules from gto/base.py (Artifact.is_active, Version.is_active, get_latest_version, get_vstages).
 */
class GtoScenariosTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The tagger of GTO's tests (tests/conftest.py `isolate` writes it to the global git config). */
    static final String[] TESTER = {"GTO Tester", "gtotester@example.com"};
    /** The author GTO's API tests pass to register and assign (`author="GTO"`). */
    static final String[] GTO = {"GTO", "gto@iterative.ai"};

    /** The `showcase` fixture's tags: name, commit (1: "Add artifacts", 2: "Update model"), time, message. */
    static final List<String[]> SHOWCASE = List.of(
            new String[] {"rf@v1.2.3", "1", "2022-08-04T16:56:57+00:00", "Registering artifact rf version v1.2.3"},
            new String[] {"nn@v0.0.1", "1", "2022-08-04T16:56:58+00:00", "Registering artifact nn version v0.0.1"},
            new String[] {"rf@v1.2.4", "2", "2022-08-04T16:56:59+00:00", "Registering artifact rf version v1.2.4"},
            new String[] {"nn#staging#1", "1", "2022-08-04T16:56:59+00:00",
                "Assigning stage staging to artifact nn version v0.0.1"},
            new String[] {"rf#production#1", "1", "2022-08-04T16:56:59+00:00",
                "Assigning stage production to artifact rf version v1.2.3"},
            new String[] {"rf#staging#2", "2", "2022-08-04T16:57:00+00:00",
                "Assigning stage staging to artifact rf version v1.2.4"},
            new String[] {"rf#production#3", "2", "2022-08-04T16:57:01+00:00",
                "Assigning stage production to artifact rf version v1.2.4"},
            new String[] {"rf#production#4", "1", "2022-08-04T16:57:02+00:00",
                "Assigning stage production to artifact rf version v1.2.3"});

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir);
        cli.run("init").ok();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** A commit by GTO's tester that changes {@code file}; its hash. */
    private String commit(String message, String file, String content) {
        Files2.write(dir.resolve(file), content);
        Map<String, String> env = Map.of("GIT_AUTHOR_NAME", TESTER[0], "GIT_AUTHOR_EMAIL", TESTER[1],
                "GIT_COMMITTER_NAME", TESTER[0], "GIT_COMMITTER_EMAIL", TESTER[1]);
        GitBinary.run(dir, env, List.of("git", "add", "-A")).ok();
        GitBinary.run(dir, env, List.of("git", "commit", "-qm", message)).ok();
        return GitBinary.git(dir, "rev-parse", "HEAD").ok().out().strip();
    }

    /** The `artifact` fixture of tests/test_api.py: "Commit 1" and "Commit 2"; their hashes. */
    private String[] artifactFixture() {
        String c1 = commit("Commit 1", "artifacts.yaml", "rf: \n  type: model\n  path: models/random-forest.pkl\n");
        String c2 = commit("Commit 2", "artifacts.yaml", "rf: \n  type: model\n  path: models/random-forest.pklx\n");
        return new String[] {c1, c2};
    }

    /** The `showcase` fixture of tests/conftest.py with {@code tags}; its two commits (first, second). */
    private String[] showcase(List<String[]> tags) {
        commit("Create models", "models/random-forest.pkl", "1st version");
        Files2.write(dir.resolve("models/neural-network.pkl"), "1st version");
        String first = commit("Add artifacts", "artifacts.yaml",
                "rf:\n  type: model\n  path: models/random-forest.pkl\n"
                + "nn:\n  type: model\n  path: models/neural-network.pkl\n"
                + "features:\n  type: dataset\n  path: datasets/features.csv\n");
        String second = commit("Update model", "models/random-forest.pkl", "2nd version");
        for (String[] t : tags) {
            tag(t[0], t[1].equals("1") ? first : second, t[2], t[3]);
        }
        return new String[] {first, second};
    }

    /** An annotated tag as GTO's tests write it: tagged by GTO's tester. */
    private void tag(String name, String rev, String when, String message) {
        tagBy(TESTER, name, rev, when, message);
    }

    private void tagBy(String[] who, String name, String rev, String when, String message) {
        GitBinary.run(dir, Map.of("GIT_COMMITTER_NAME", who[0], "GIT_COMMITTER_EMAIL", who[1],
                "GIT_COMMITTER_DATE", when), List.of("git", "tag", "-a", name, "-m", message, rev)).ok();
    }

    private JsonNode json(String... args) throws Exception {
        return JSON.readTree(cli.run(args).ok().out());
    }

    /** `stages NAME`: stage to version (null when empty). */
    private JsonNode stages(String model) throws Exception {
        return json("stages", model, "--json").get(0).get("stages");
    }

    private JsonNode listed(String model) throws Exception {
        for (JsonNode n : json("list", "--json")) {
            if (n.get("model").asText().equals(model)) {
                return n;
            }
        }
        return null;
    }

    private List<String> historyTags(String model) throws Exception {
        List<String> tags = new ArrayList<>();
        json("history", model, "--reverse", "--json").forEach(e -> tags.add(e.get("tag").asText()));
        return tags;
    }

    private static String person(String[] who) {
        return who[0] + " <" + who[1] + ">";
    }

    // --- the showcase (tests/conftest.py `showcase`) ---------------------------------------------------------

    @Test
    void showcase_latest_is_the_greatest_registered_version() throws Exception {
        String[] commits = showcase(SHOWCASE);
        // test_cli.py::test_commands: `show rf@greatest --version` is v1.2.4, `show rf@latest --ref` is rf@v1.2.4.
        assertEquals("1.2.4", listed("rf").get("latest").asText());
        assertEquals(2, listed("rf").get("versions").asInt());
        JsonNode rf = json("show", "rf", "--json");
        assertEquals("rf@v1.2.4", rf.get("tag").asText());
        assertEquals(commits[1], rf.get("commit").asText());
        // test_showcase.py::test_api: rf v1.2.3 and nn v0.0.1 on the first commit, by the committer, ref = their tag.
        JsonNode rf123 = json("show", "rf@v1.2.3", "--json");
        assertEquals("rf@v1.2.3", rf123.get("tag").asText());
        assertEquals(commits[0], rf123.get("commit").asText());
        JsonNode nn = json("show", "nn", "--json");
        assertEquals("nn@v0.0.1", nn.get("tag").asText());
        assertEquals(commits[0], nn.get("commit").asText());
        assertEquals(person(TESTER), nn.get("tagger").asText());
        assertEquals("Registering artifact nn version v0.0.1", nn.get("message").asText());
        assertEquals(1, listed("nn").get("versions").asInt());
        // Not compared: GTO's test_api also finds `features`, named only in artifacts.yaml (no tag, GTO's annotation
        // layer), which mver does not read.
    }

    @Test
    void showcase_stage_holds_the_last_assigned_version_even_an_older_one() throws Exception {
        showcase(SHOWCASE);
        // test_cli.py::test_commands: `show rf#production --version` is v1.2.3 (rf#production#4 put it back),
        // `--ref` rf@v1.2.3; `show rf#staging` is v1.2.4; test_showcase.py::test_api: nn#staging#1 holds nn v0.0.1.
        JsonNode rf = stages("rf");
        assertEquals("1.2.3", rf.get("production").asText());
        assertEquals("1.2.4", rf.get("staging").asText());
        assertEquals("rf@v1.2.3", json("show", "rf#production", "--json").get("tag").asText());
        assertEquals("rf@v1.2.4", json("show", "rf#staging", "--json").get("tag").asText());
        assertEquals("0.0.1", stages("nn").get("staging").asText());
        // GTO's `show rf#production --vs -1` is "v1.2.4\nv1.2.3"; README row "versions per stage": mver keeps one,
        // and v1.2.4's stay in production is history (rf#production#3, replaced by #4).
        List<String> production = new ArrayList<>();
        json("history", "rf", "--reverse", "--json").forEach(e -> {
            if ("production".equals(e.get("stage").asText(null))) {
                production.add(e.get("version").asText());
            }
        });
        assertEquals(List.of("1.2.3", "1.2.4", "1.2.3"), production);
    }

    @Test
    void showcase_history_is_each_models_registrations_and_assignments_in_order() throws Exception {
        showcase(SHOWCASE);
        // test_showcase.py::test_api: rf has 8 events, 2 of them its commits (mver's history is the registry's:
        // no commit events); GTO lists newest first, mver oldest first. Equal times (16:56:59) go registration
        // first, as GTO's (timestamp, priority) order does.
        assertEquals(List.of("rf@v1.2.3", "rf@v1.2.4", "rf#production#1", "rf#staging#2", "rf#production#3",
                "rf#production#4"), historyTags("rf"));
        assertEquals(List.of("nn@v0.0.1", "nn#staging#1"), historyTags("nn"));
        // test_showcase.py::test_api and test_registry.py::test_registry_state_tag_tag: v1.2.3's assignments are
        // rf#production#1 and #4, v1.2.4's rf#staging#2 and rf#production#3, each by the tester.
        JsonNode history = json("history", "rf", "--reverse", "--json");
        Map<String, List<String>> byVersion = new java.util.TreeMap<>();
        for (JsonNode e : history) {
            assertEquals(person(TESTER), e.get("by").asText());
            if (e.get("assignment").asBoolean()) {
                byVersion.computeIfAbsent(e.get("version").asText(), v -> new ArrayList<>()).add(e.get("tag").asText());
            }
        }
        assertEquals(Map.of("1.2.3", List.of("rf#production#1", "rf#production#4"),
                "1.2.4", List.of("rf#staging#2", "rf#production#3")), byVersion);
        assertEquals("Assigning stage staging to artifact rf version v1.2.4", history.get(3).get("reason").asText());
    }

    @Test
    void showcase_check_ref_finds_the_one_event_of_each_tag() throws Exception {
        showcase(SHOWCASE);
        // test_api.py::test_check_ref_multiple_showcase: every GTO tag is exactly one event, named by that tag.
        for (String t : GitBinary.git(dir, "tag", "-l").ok().out().strip().split("\n")) {
            JsonNode event = json("check-ref", t, "--json");
            assertEquals(t, event.get("tag").asText());
            assertEquals(t.split("[@#]")[0], event.get("model").asText());
        }
        // test_cli.py::test_commands: rf#production#3 (also as refs/tags/...) is rf, production, v1.2.4, assignment;
        // rf@v1.2.4 is a registration of v1.2.4.
        for (String ref : List.of("rf#production#3", "refs/tags/rf#production#3")) {
            JsonNode event = json("check-ref", ref, "--json");
            assertEquals("rf", event.get("model").asText());
            assertEquals("production", event.get("stage").asText());
            assertEquals("1.2.4", event.get("version").asText());
            assertEquals("promotion", event.get("event").asText());
        }
        JsonNode registration = json("check-ref", "rf@v1.2.4", "--json");
        assertEquals("registration", registration.get("event").asText());
        assertEquals("1.2.4", registration.get("version").asText());
        assertTrue(registration.get("stage").isNull());
        // test_cli.py::test_commands: a tag that does not exist is no event (GTO prints nothing; mver exits 4).
        assertEquals(4, cli.run("check-ref", "this-tag-does-not-exist", "--json").code());
    }

    @Test
    void assignments_are_ordered_by_event_number_not_by_tag_time() throws Exception {
        // The showcase with rf#production#4 written on a machine whose clock was 2 s behind: dated before #3.
        // GTO orders by tag time (tests/conftest.py sleeps a second between assignments so that time tells them
        // apart), so its `show rf#production` would be v1.2.4; README row "order of events": mver goes by number.
        List<String[]> skewed = SHOWCASE.stream().map(t -> t[0].equals("rf#production#4")
                ? new String[] {t[0], t[1], "2022-08-04T16:57:00+00:00", t[3]} : t).toList();
        showcase(skewed);
        assertEquals("1.2.3", stages("rf").get("production").asText());
        assertEquals("rf#production#4", historyTags("rf").get(5));
        JsonNode verify = json("verify", "--json");
        assertTrue(verify.get("ok").asBoolean(), verify.toString());
        assertTrue(verify.get("warnings").toString().contains("rf#production#4"), verify.toString());
    }

    // --- tests/test_api.py ------------------------------------------------------------------------------------

    @Test
    void deregistering_the_latest_version_makes_the_previous_one_latest() throws Exception {
        // test_api.py::test_register_deregister
        String[] c = artifactFixture();
        tag("new-artifact@v1.0.0", c[1], "2022-08-04T16:56:57+00:00",
                "Registering artifact new-artifact version v1.0.0");
        String c3 = commit("Irrelevant action to create a git commit to register another version", "tmp.txt",
                "some text");
        tagBy(GTO, "new-artifact@v1.0.1", c3, "2022-08-04T16:56:58+00:00", "Some message");
        assertEquals("1.0.1", listed("new-artifact").get("latest").asText());
        JsonNode latest = json("show", "new-artifact", "--json");
        assertEquals("new-artifact@v1.0.1", latest.get("tag").asText());
        assertEquals("Some message", latest.get("message").asText());
        assertEquals(person(GTO), latest.get("tagger").asText());
        assertEquals(2, listed("new-artifact").get("versions").asInt());

        tag("new-artifact@v1.0.1!", c3, "2022-08-04T16:56:59+00:00",
                "Deregistering artifact new-artifact version v1.0.1");
        assertEquals("1.0.0", listed("new-artifact").get("latest").asText());
        assertEquals("new-artifact@v1.0.0", json("show", "new-artifact", "--json").get("tag").asText());
        // GTO: show(deprecated=False) has 1 version, show(deprecated=True) 2.
        JsonNode all = json("stages", "new-artifact", "--json").get(0);
        assertEquals("[\"1.0.1\"]", all.get("deprecated_versions").toString());
        assertEquals(2, listed("new-artifact").get("versions").asInt());
        assertEquals(c3, json("show", "new-artifact@v1.0.1", "--json").get("commit").asText());
        JsonNode dereg = json("check-ref", "new-artifact@v1.0.1!", "--json");
        assertEquals("deprecation", dereg.get("event").asText());
        assertEquals("1.0.1", dereg.get("version").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"model", "folder:artifact", "some/folder:some/artifact"})
    void assigning_a_new_commit_registers_it_and_the_later_assignment_takes_the_stage(String gtoName)
            throws Exception {
        // test_api.py::test_assign. GTO names a monorepo artifact dir:name and tags it dir=name; mver's model name is
        // the tag's form.
        String name = gtoName.replace(':', '=');
        String[] c = artifactFixture();
        GitBinary.git(dir, "tag", "v1.0.0").ok();
        GitBinary.git(dir, "tag", "wrong-tag-unrelated").ok();
        tag(name + "@v0.0.1", c[1], "2022-08-04T16:56:57+00:00",
                "Registering artifact " + gtoName + " version v0.0.1");
        tagBy(GTO, name + "#staging#1", c[1], "2022-08-04T16:56:58+00:00", "some msg");
        assertEquals("0.0.1", stages(name).get("staging").asText());
        JsonNode assignment = json("check-ref", name + "#staging#1", "--json");
        assertEquals(name, assignment.get("model").asText());
        assertEquals("0.0.1", assignment.get("version").asText());
        assertEquals("staging", assignment.get("stage").asText());
        assertEquals(person(GTO), assignment.get("by").asText());
        assertEquals(c[1], json("show", name + "#staging", "--json").get("commit").asText());
        assertEquals("some msg", json("history", name, "--reverse", "--json").get(1).get("reason").asText());

        tag(name + "@v0.0.2", c[0], "2022-08-04T16:56:59+00:00",
                "Registering artifact " + gtoName + " version v0.0.2");
        tagBy(GTO, name + "#staging#2", c[0], "2022-08-04T16:57:00+00:00", "some msg");
        // GTO: one version in staging by default, v0.0.2; with versions_per_stage=-1 two (README row "versions per
        // stage": mver keeps one).
        assertEquals("0.0.2", stages(name).get("staging").asText());
        assertEquals(c[0], json("show", name + "#staging", "--json").get("commit").asText());
        // The lightweight tags beside them are nobody's: verify has nothing to say.
        assertTrue(json("verify", "--json").get("ok").asBoolean());
    }

    @Test
    void forced_reassignments_within_one_second_resolve_by_event_number() throws Exception {
        // test_api.py::test_assign_force_is_needed: four assignments (two forced) and two registrations, all in the
        // same second. GTO's find_versions_in_stage answers v0.0.2 (the last forced assignment, and the greatest);
        // README row "order of events": mver needs no clock to tell them apart.
        String[] c = artifactFixture();
        String t = "2022-08-04T16:56:57+00:00";
        tag("new-artifact@v0.0.1", c[1], t, "Registering artifact new-artifact version v0.0.1");
        tag("new-artifact#staging#1", c[1], t, "Assigning stage staging to artifact new-artifact version v0.0.1");
        tag("new-artifact@v0.0.2", c[0], t, "Registering artifact new-artifact version v0.0.2");
        tag("new-artifact#staging#2", c[0], t, "Assigning stage staging to artifact new-artifact version v0.0.2");
        tag("new-artifact#staging#3", c[1], t, "Assigning stage staging to artifact new-artifact version v0.0.1");
        tag("new-artifact#staging#4", c[0], t, "Assigning stage staging to artifact new-artifact version v0.0.2");
        assertEquals("0.0.2", stages("new-artifact").get("staging").asText());
        List<String> promotions = new ArrayList<>();
        json("history", "new-artifact", "--reverse", "--json").forEach(e -> {
            if (e.get("assignment").asBoolean()) {
                promotions.add(e.get("number").asInt() + ":" + e.get("version").asText());
            }
        });
        assertEquals(List.of("1:0.0.1", "2:0.0.2", "3:0.0.1", "4:0.0.2"), promotions);
    }

    @Test
    void unassigning_empties_the_stage() throws Exception {
        // test_api.py::test_unassign (and the unassignment step of test_cli.py::test_deprecate_unassign_and_artifact)
        String[] c = artifactFixture();
        tag("model@v0.0.1", c[1], "2022-08-04T16:56:57+00:00", "Registering artifact model version v0.0.1");
        tag("model#dev#1", c[1], "2022-08-04T16:56:58+00:00", "Assigning stage dev to artifact model version v0.0.1");
        assertEquals("0.0.1", stages("model").get("dev").asText());
        assertEquals("model@v0.0.1", json("show", "model#dev", "--json").get("tag").asText());

        tag("model#dev!#2", c[1], "2022-08-04T16:56:59+00:00",
                "Unassigning stage 'dev' to artifact 'model' version 'v0.0.1'");
        assertTrue(stages("model").get("dev").isNull());
        assertEquals(4, cli.run("show", "model#dev", "--json").code());
        JsonNode unassignment = json("check-ref", "model#dev!#2", "--json");
        assertEquals("demotion", unassignment.get("event").asText());
        assertEquals("dev", unassignment.get("stage").asText());
        assertEquals("0.0.1", unassignment.get("version").asText());
        assertEquals(2, unassignment.get("number").asInt());
    }

    @Test
    void a_deprecated_model_stays_listed_and_marked_until_registered_again() throws Exception {
        // test_api.py::test_deprecate: register, deprecate (model@deprecated), deprecate again with force
        // (model@deprecated#1, GTO's counted form); the last step of test_cli.py::test_deprecate_unassign_and_artifact.
        String[] c = artifactFixture();
        tag("model@v0.0.1", c[1], "2022-08-04T16:56:57+00:00", "Registering artifact model version v0.0.1");
        assertEquals("0.0.1", listed("model").get("latest").asText());
        tag("model@deprecated", c[1], "2022-08-04T16:56:58+00:00", "Deprecating artifact 'model'");
        // GTO: show(deprecated=False) is empty, show(deprecated=True) has the model; README row "a deprecated
        // model": mver lists it and marks it.
        assertTrue(listed("model").get("deprecated").asBoolean());
        assertTrue(cli.run("list").ok().out().contains("model (deprecated)"));
        assertTrue(json("stages", "model", "--json").get(0).get("deprecated").asBoolean());
        tag("model@deprecated#1", c[1], "2022-08-04T16:56:59+00:00", "Deprecating artifact 'model'");
        assertTrue(json("stages", "model", "--json").get(0).get("deprecated").asBoolean());
        JsonNode forced = json("check-ref", "model@deprecated#1", "--json");
        assertEquals("model_deprecation", forced.get("event").asText());
        assertTrue(forced.get("version").isNull());
        assertTrue(json("verify", "--json").get("ok").asBoolean());
        // gto/base.py Artifact.is_active: the newest event decides, so a registration after it brings it back.
        tag("model@v0.0.2", c[0], "2022-08-04T16:57:00+00:00", "Registering artifact model version v0.0.2");
        assertFalse(json("stages", "model", "--json").get(0).get("deprecated").asBoolean());
        assertEquals("0.0.2", listed("model").get("latest").asText());
        assertFalse(listed("model").get("deprecated").asBoolean());
    }

    @Test
    void one_version_holds_several_stages_each_its_own_event() throws Exception {
        // test_api.py::test_check_ref_catch_the_bug: staging, prod and dev assigned to one version at one commit.
        String[] c = artifactFixture();
        tag("artifact@v0.0.1", c[1], "2022-08-04T16:56:57+00:00", "Registering artifact artifact version v0.0.1");
        List<String> assigned = List.of("staging", "prod", "dev");
        for (int i = 0; i < assigned.size(); i++) {
            tag("artifact#" + assigned.get(i) + "#" + (i + 1), c[1], "2022-08-04T16:57:0" + i + "+00:00",
                    "Assigning stage " + assigned.get(i) + " to artifact artifact version v0.0.1");
        }
        for (int i = 0; i < assigned.size(); i++) {
            String t = "artifact#" + assigned.get(i) + "#" + (i + 1);
            JsonNode event = json("check-ref", t, "--json");
            assertEquals(t, event.get("tag").asText());
            assertEquals(assigned.get(i), event.get("stage").asText());
            assertEquals("0.0.1", event.get("version").asText());
            assertEquals(i + 1, event.get("number").asInt());
        }
        JsonNode s = stages("artifact");
        for (String stage : assigned) {
            assertEquals("0.0.1", s.get(stage).asText(), s.toString());
        }
    }

    @Test
    void check_ref_names_the_tagger_as_the_author() throws Exception {
        // test_api.py::test_check_ref_detailed: GTO reports the tag's tagger (the committer), not the commit author.
        String[] c = artifactFixture();
        GitBinary.run(dir, Map.of("GIT_AUTHOR_NAME", "Alexander Guschin", "GIT_AUTHOR_EMAIL", "aguschin@iterative.ai",
                "GIT_COMMITTER_NAME", "Oliwav", "GIT_COMMITTER_EMAIL", "oliwav@iterative.ai",
                "GIT_COMMITTER_DATE", "2022-08-04T16:56:57+00:00"),
                List.of("git", "tag", "-a", "model@v1.2.3", "-m", "Registering artifact model version v1.2.3", c[1]))
                .ok();
        for (String ref : List.of("model@v1.2.3", "refs/tags/model@v1.2.3")) {
            JsonNode event = json("check-ref", ref, "--json");
            assertEquals("registration", event.get("event").asText());
            assertEquals("model", event.get("model").asText());
            assertEquals("1.2.3", event.get("version").asText());
            assertEquals("model@v1.2.3", event.get("tag").asText());
            assertEquals("Oliwav <oliwav@iterative.ai>", event.get("by").asText());
        }
    }

    // --- tests/test_tag.py ------------------------------------------------------------------------------------

    @Test
    void gtos_tag_forms_are_events_and_lightweight_or_malformed_tags_are_not() throws Exception {
        String[] c = artifactFixture();
        // test_tag.py::test_parse_name: one of each form, in an order GTO could write them (counter + 1 each time).
        List<String[]> forms = List.of(
                new String[] {"path@v1.2.3", "registration", "1.2.3", null},
                new String[] {"path#stage", "promotion", "1.2.3", "stage"},
                new String[] {"path#stage#1", "promotion", "1.2.3", "stage"},
                new String[] {"path#stage!#2", "demotion", "1.2.3", "stage"},
                new String[] {"path@v1.2.3#3", "registration", "1.2.3", null},
                new String[] {"path@v1.2.3!#4", "deprecation", "1.2.3", null});
        for (int i = 0; i < forms.size(); i++) {
            tag(forms.get(i)[0], c[1], "2022-08-04T16:57:0" + i + "+03:00", "gto");
        }
        for (int i = 0; i < forms.size(); i++) {
            String[] f = forms.get(i);
            JsonNode event = json("check-ref", f[0], "--json");
            assertEquals(f[1], event.get("event").asText(), f[0]);
            assertEquals(f[2], event.get("version").asText(), f[0]);
            assertEquals(f[3], event.get("stage").asText(null), f[0]);
            // test_tag.py::test_parse_tag_created_at_timezone: the time keeps its zone (the same instant).
            assertEquals(OffsetDateTime.parse("2022-08-04T16:57:0" + i + "+03:00").toInstant(),
                    OffsetDateTime.parse(event.get("at").asText()).toInstant());
        }
        assertTrue(stages("path").get("stage").isNull());
        assertEquals("[\"1.2.3\"]", json("stages", "path", "--json").get(0).get("deprecated_versions").toString());
        // test_tag.py::test_parse_correct_names: pre-releases are versions, in semver order.
        String p1 = commit("alpha", "tmp.txt", "1");
        String p2 = commit("alpha.beta", "tmp.txt", "2");
        String p3 = commit("rc.2", "tmp.txt", "3");
        tag("nn@v1.0.0-alpha", p1, "2022-08-04T16:58:00+00:00", "Registering artifact nn version v1.0.0-alpha");
        tag("nn@v1.0.0-rc.2", p3, "2022-08-04T16:58:01+00:00", "Registering artifact nn version v1.0.0-rc.2");
        tag("nn@v1.0.0-alpha.beta", p2, "2022-08-04T16:58:02+00:00",
                "Registering artifact nn version v1.0.0-alpha.beta");
        assertEquals("1.0.0-rc.2", listed("nn").get("latest").asText());
        assertEquals(3, listed("nn").get("versions").asInt());
        assertTrue(json("verify", "--json").get("ok").asBoolean());

        // test_tag.py::test_lightweight_tag and test_parse_wrong_names: neither is a version or a model to GTO.
        GitBinary.git(dir, "tag", "lightweight-tag@v0.0.1").ok();
        Set<String> wrong = new TreeSet<>(List.of("model@v1", "model@v111", "model@0.0.1", "model#prod#-1",
                "model#prod#1-2", "model@v1.2.3#prod", "namespace/model@0.0.1", "model@prod@v1@stage-1"));
        for (String w : wrong) {
            tag(w, c[1], "2022-08-04T16:59:00+00:00", "msg");
        }
        Set<String> models = new TreeSet<>();
        json("list", "--json").forEach(m -> models.add(m.get("model").asText()));
        assertEquals(Set.of("path", "nn"), models);
        Set<String> staged = new TreeSet<>();
        json("stages", "--json").forEach(m -> staged.add(m.get("model").asText()));
        assertEquals(Set.of("path", "nn"), staged);
        // mver's verify (README, "What verify checks") reports exactly those tags, where GTO skips them silently.
        Cli.Result verify = cli.run("verify", "--json");
        assertEquals(6, verify.code(), verify.out() + verify.err());
        Set<String> reported = new TreeSet<>();
        JSON.readTree(verify.out()).get("problems").forEach(p -> reported.add(p.get("tag").asText()));
        Set<String> expected = new TreeSet<>(wrong);
        expected.add("lightweight-tag@v0.0.1");
        assertEquals(expected, reported);
        // check-ref says what a lightweight tag is, instead of claiming it is missing.
        Cli.Result light = cli.run("check-ref", "lightweight-tag@v0.0.1");
        assertEquals(4, light.code());
        assertTrue(light.err().contains("lightweight tag"), light.err());
    }

    // --- what the README's table of differences did not say at first, now read as GTO reads it or listed there --

    @Test
    void a_model_whose_only_version_is_deregistered_has_no_latest() throws Exception {
        // test_cli.py::test_register: `register a2 --version v1.2.3`, then `deprecate a2 v1.2.3` (a2@v1.2.3!).
        String[] c = artifactFixture();
        tag("a2@v1.2.3", c[1], "2022-08-04T16:56:57+00:00", "Registering artifact a2 version v1.2.3");
        tag("a2@v1.2.3!", c[1], "2022-08-04T16:56:58+00:00", "Deregistering artifact a2 version v1.2.3");
        assertEquals(4, cli.run("show", "a2", "--json").code());
        JsonNode a2 = listed("a2");
        assertTrue(a2 == null || a2.get("latest").isNull(), String.valueOf(a2));
    }

    @Test
    void a_counted_re_registration_brings_a_deregistered_version_back() throws Exception {
        // test_cli.py::test_register: after `deprecate a2 v1.2.3`, `register a2 --simple false` tags a2@v1.2.3#1.
        String[] c = artifactFixture();
        tag("a2@v1.2.3", c[1], "2022-08-04T16:56:57+00:00", "Registering artifact a2 version v1.2.3");
        tag("a2@v1.2.3!", c[1], "2022-08-04T16:56:58+00:00", "Deregistering artifact a2 version v1.2.3");
        tag("a2@v1.2.3#1", c[1], "2022-08-04T16:56:59+00:00", "Registering artifact a2 version v1.2.3");
        assertEquals("1.2.3", listed("a2").get("latest").asText());
        assertEquals("[]", json("stages", "a2", "--json").get(0).get("deprecated_versions").toString());
        assertEquals("a2@v1.2.3", json("show", "a2", "--json").get("tag").asText());
    }

    @Test
    void an_assignment_without_registration_is_history_and_holds_no_stage() throws Exception {
        // test_api.py::test_assign_skip_registration: one assignment, and its version is not a semver. GTO puts the
        // commit in staging; README row "an assignment to a commit no version names": mver lists the event and
        // leaves the stage empty, as a stage holds a version.
        String[] c = artifactFixture();
        tag("new-artifact#staging#1", c[1], "2022-08-04T16:56:57+00:00",
                "Assigning stage staging to artifact new-artifact version " + c[1]);
        JsonNode history = json("history", "new-artifact", "--reverse", "--json");
        assertEquals("promotion", history.get(0).get("event").asText());
        assertTrue(history.get(0).get("version").isNull(), history.toString());
        assertTrue(stages("new-artifact").get("staging").isNull());
        assertEquals(4, cli.run("show", "new-artifact#staging").code());
    }

    @Test
    void events_of_a_version_registered_only_in_counted_form_are_found_by_check_ref() throws Exception {
        // test_tag.py::test_name_tag (a non-simple registration is myartifact@v1#1) and test_parse_name
        // (path@v1.2.3#5 registers v1.2.3); test_cli.py::test_register (`register --simple false`).
        String[] c = artifactFixture();
        tag("myartifact@v0.0.1#1", c[1], "2022-08-04T16:56:57+00:00",
                "Registering artifact myartifact version v0.0.1");
        tag("myartifact#prod#2", c[1], "2022-08-04T16:56:58+00:00",
                "Assigning stage prod to artifact myartifact version v0.0.1");
        assertEquals("0.0.1", stages("myartifact").get("prod").asText());
        JsonNode registration = json("check-ref", "myartifact@v0.0.1#1", "--json");
        assertEquals("registration", registration.get("event").asText());
        assertEquals(1, registration.get("number").asInt(), "numbered by its name, as GTO's stage tags are");
        assertEquals("0.0.1", registration.get("version").asText());
        JsonNode assignment = json("check-ref", "myartifact#prod#2", "--json");
        assertEquals("promotion", assignment.get("event").asText());
        assertEquals("0.0.1", assignment.get("version").asText());
    }

    @Test
    void a_deregistration_dated_before_its_registration_still_deprecates_the_version() throws Exception {
        // Only a registration made again (GTO's counted form) brings a deregistered version back; a plain one that
        // a skewed clock dates after the deregistration does not, and stages and list agree on it.
        String[] c = artifactFixture();
        tag("m@v1.0.0", c[0], "2022-08-04T16:56:57+00:00", "Registering artifact m version v1.0.0");
        tag("m@v1.1.0", c[1], "2022-08-04T16:56:58+00:00", "Registering artifact m version v1.1.0");
        tag("m@v1.1.0!", c[1], "2020-01-01T00:00:00+00:00", "Deregistering artifact m version v1.1.0");
        assertEquals("[\"1.1.0\"]", json("stages", "m", "--json").get(0).get("deprecated_versions").toString());
        assertEquals("1.0.0", listed("m").get("latest").asText());
    }

}
