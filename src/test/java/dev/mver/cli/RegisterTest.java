package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegisterTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
        Files2.random(dir.resolve("models/churn/model.pkl"), 1 << 20, 1);
    }

    JsonNode metadata() throws Exception {
        return JSON.readTree(dir.resolve(".mver/models/churn.json").toFile());
    }

    Cli.Result registerFirst() {
        return cli.run("register", "churn", "--version", "1.0.0", "-m", "first model", "--artifact",
                "models/churn/model.pkl", "--dataset", "snap-1", "--feature-set", "fs-2", "--features",
                "tenure,charges", "--param", "max_depth=6", "--param", "booster=gbtree", "--metric", "auc=0.91",
                "--lib", "scikit-learn=1.5.2", "--training-date", "2026-11-20", "--architecture", "xgboost").ok();
    }

    @Test
    void register_writes_the_metadata_record_commits_it_and_creates_an_annotated_tag() throws Exception {
        Cli.Result r = registerFirst();
        assertTrue(r.out().startsWith("Registered churn@v1.0.0"), r.out());

        JsonNode m = metadata();
        assertEquals("churn", m.get("model_name").asText());
        assertEquals("1.0.0", m.get("version").asText());
        assertEquals("first model", m.get("reason").asText());
        assertEquals("2026-11-20", m.get("training_date").asText());
        assertEquals("snap-1", m.get("dataset_snapshot_id").asText());
        assertEquals("fs-2", m.get("feature_set_version").asText());
        assertEquals("[\"tenure\",\"charges\"]", m.get("features").toString());
        assertEquals(6, m.get("hyperparameters").get("max_depth").asInt());
        assertEquals("gbtree", m.get("hyperparameters").get("booster").asText());
        assertEquals(0.91, m.get("metrics").get("auc").asDouble());
        assertEquals("1.5.2", m.get("library_versions").get("scikit-learn").asText());
        assertFalse(m.get("environment").get("os").asText().isEmpty());
        assertFalse(m.get("environment").get("arch").asText().isEmpty());
        JsonNode artifact = m.get("artifacts").get(0);
        assertEquals("models/churn/model.pkl", artifact.get("path").asText());
        assertEquals(Files2.sha256(dir.resolve("models/churn/model.pkl")), artifact.get("sha256").asText());
        assertEquals(1 << 20, artifact.get("size").asLong());

        assertEquals("tag\n", git(dir, "cat-file", "-t", "churn@v1.0.0").ok().out());
        String files = git(dir, "ls-tree", "-r", "--name-only", "churn@v1.0.0").ok().out();
        assertTrue(files.contains(".mver/models/churn.json"), files);
        assertTrue(files.contains("models/churn/model.pkl.mver"), files);
        assertTrue(files.contains(".mver/config.json"), files);
        assertFalse(files.contains("models/churn/model.pkl\n"), "the artifact itself is never committed: " + files);
        String message = git(dir, "tag", "-l", "--format=%(contents)", "churn@v1.0.0").ok().out();
        assertTrue(message.startsWith("churn v1.0.0: first model\n\n{"), message);
        JsonNode payload = JSON.readTree(message.substring(message.indexOf('{')));
        assertEquals("mver/tag/v1", payload.get("schema").asText());
        assertEquals(1, payload.get("seq").asInt());
        assertEquals(Files2.sha256(dir.resolve(".mver/models/churn.json")), payload.get("metadata_sha256").asText());
        assertTrue(payload.get("previous").isNull());
        assertEquals("", git(dir, "status", "--porcelain", ".mver/models", "models").ok().out(),
                "registered files are clean in git status");
        git(dir, "fsck", "--strict").ok();
    }

    @Test
    void bump_takes_the_next_version_reuses_previous_artifacts_and_links_the_previous_tag() throws Exception {
        registerFirst();
        cli.run("register", "churn", "--bump", "patch", "-m", "tune depth", "--param", "max_depth=8").ok();
        JsonNode m = metadata();
        assertEquals("1.0.1", m.get("version").asText());
        assertEquals("1.0.0", m.get("parent_version").asText());
        assertEquals(8, m.get("hyperparameters").get("max_depth").asInt());
        assertEquals("gbtree", m.get("hyperparameters").get("booster").asText(), "other params are kept");
        assertEquals(0.91, m.get("metrics").get("auc").asDouble(), "same bytes keep their metrics");
        assertEquals("models/churn/model.pkl", m.get("artifacts").get(0).get("path").asText());

        String message = git(dir, "tag", "-l", "--format=%(contents)", "churn@v1.0.1").ok().out();
        JsonNode payload = JSON.readTree(message.substring(message.indexOf('{')));
        assertEquals(2, payload.get("seq").asInt());
        assertEquals(git(dir, "rev-parse", "churn@v1.0.0").ok().out().strip(),
                payload.get("previous").get("tag_object").asText());
    }

    @Test
    void retrained_bytes_drop_old_metrics_unless_new_ones_are_given() throws Exception {
        registerFirst();
        Files2.random(dir.resolve("models/churn/model.pkl"), 1 << 20, 2);
        cli.run("register", "churn", "--bump", "minor", "-m", "retrained", "--dataset", "snap-2").ok();
        JsonNode m = metadata();
        assertEquals("1.1.0", m.get("version").asText());
        assertEquals(0, m.get("metrics").size(), m.toString());
        assertEquals("snap-2", m.get("dataset_snapshot_id").asText());
        assertEquals("fs-2", m.get("feature_set_version").asText(), "descriptive fields carry over");
    }

    @Test
    void first_version_with_bump_starts_from_zero() throws Exception {
        cli.run("register", "churn", "--bump", "minor", "-m", "x", "--artifact", "models/churn/model.pkl").ok();
        assertEquals("0.1.0", metadata().get("version").asText());
    }

    @Test
    void refusals_exit_5_and_change_nothing() {
        registerFirst();
        Map<String, String> before = Files2.snapshot(dir);
        assertTrue(cli.run("register", "churn", "--version", "1.0.0", "-m", "again").fails(5).err()
                .contains("already exists"));
        assertTrue(cli.run("register", "churn", "--version", "0.9.0", "-m", "older").fails(5).err()
                .contains("not greater"));
        assertTrue(cli.run("register", "churn", "--version", "1.0.0-rc.1", "-m", "pre").fails(5).err()
                .contains("not greater"));
        assertTrue(cli.run("register", "churn", "--bump", "patch", "-m", "same again").fails(5).err()
                .contains("same artifacts and metadata"));
        assertEquals(before, Files2.snapshot(dir));
    }

    @Test
    void malformed_names_and_versions_exit_2_and_change_nothing() {
        Map<String, String> before = Files2.snapshot(dir);
        String[][] cases = {
                {"register", "churn", "--version", "1.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "churn", "--version", "v1.0.0.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "-churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "churn@v1", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "a;rm -rf", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "x/../y", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "churn", "--bump", "huge", "-m", "x", "--artifact", "models/churn/model.pkl"},
                {"register", "churn", "--version", "1.0.0", "--bump", "minor", "-m", "x"},
                {"register", "churn", "--version", "1.0.0", "--artifact", "models/churn/model.pkl"},
                {"register", "churn", "--version", "1.0.0", "-m", " ", "--artifact", "models/churn/model.pkl"},
                {"register", "churn", "--version", "1.0.0", "-m", "x"},
                {"register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl",
                        "--training-date", "yesterday"},
        };
        for (String[] args : cases) {
            assertEquals(2, cli.run(args).code(), String.join(" ", args));
            cli.run(args).fails(2);
        }
        assertEquals(before, Files2.snapshot(dir));
    }

    @Test
    void a_missing_artifact_exits_4_and_changes_nothing() {
        Map<String, String> before = Files2.snapshot(dir);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "nope.pkl").fails(4);
        assertEquals(before, Files2.snapshot(dir));
    }

    @Test
    void metadata_file_fields_are_used_and_flags_win() throws Exception {
        Files2.write(dir.resolve("meta.json"), """
                {"dataset_snapshot_id": "from-file", "feature_set_version": "fs-9",
                 "hyperparameters": {"lr": 0.05, "depth": 4}, "metrics": {"auc": 0.8},
                 "environment": {"os": "Linux", "os_version": "6.1", "arch": "x86_64",
                                 "runtimes": {"python": "3.12.1"}, "python_packages": {"torch": "2.4.1"}},
                 "extra": {"owner": "team-growth"}}
                """);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl",
                "--metadata", "meta.json", "--param", "depth=5").ok();
        JsonNode m = metadata();
        assertEquals("from-file", m.get("dataset_snapshot_id").asText());
        assertEquals(5, m.get("hyperparameters").get("depth").asInt());
        assertEquals(0.05, m.get("hyperparameters").get("lr").asDouble());
        assertEquals("3.12.1", m.get("environment").get("runtimes").get("python").asText(),
                "the training environment from the file is kept");
        assertEquals("team-growth", m.get("extra").get("owner").asText());
    }

    @Test
    void bad_metadata_files_exit_2_with_one_line_and_change_nothing() {
        Files2.write(dir.resolve("broken.json"), "{\"dataset_snapshot_id\": ");
        Files2.write(dir.resolve("unknown.json"), "{\"datset_snapshot_id\": \"x\"}");
        Files2.write(dir.resolve("list.json"), "[1, 2]");
        Map<String, String> before = Files2.snapshot(dir);
        for (String file : new String[] {"broken.json", "unknown.json", "list.json"}) {
            Cli.Result r = cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact",
                    "models/churn/model.pkl", "--metadata", file).fails(2);
            assertTrue(r.err().contains(file), r.err());
        }
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl",
                "--metadata", "absent.json").fails(4);
        assertEquals(before, Files2.snapshot(dir));
    }

    @Test
    void requirements_file_supplies_library_versions() throws Exception {
        Files2.write(dir.resolve("requirements.txt"), "numpy==2.1.3\nscikit_learn==1.5.2\n");
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl",
                "--requirements", "requirements.txt", "--lib", "numpy=2.1.4").ok();
        JsonNode libs = metadata().get("library_versions");
        assertEquals("2.1.4", libs.get("numpy").asText());
        assertEquals("1.5.2", libs.get("scikit-learn").asText());
    }

    @Test
    void python_runtime_and_packages_are_captured_when_python3_is_on_the_path() throws Exception {
        // The machine's own python3, not the stub the other tests get.
        cli = cli.withEnv(System.getenv());
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl").ok();
        JsonNode env = metadata().get("environment");
        assertTrue(env.get("runtimes").get("python").asText().matches("3\\.\\d+\\.\\d+"), env.toString());
        assertTrue(env.get("python_packages").size() > 0, env.toString());

        Map<String, String> noPython = new HashMap<>(System.getenv());
        noPython.put("PATH", "/nonexistent");
        Files2.random(dir.resolve("models/churn/model.pkl"), 1 << 20, 5);
        cli.withEnv(noPython).run("register", "churn", "--bump", "minor", "-m", "y").ok();
        assertEquals(0, metadata().get("environment").get("runtimes").size());
    }

    @Test
    void the_same_inputs_with_a_fixed_clock_give_the_same_tag_object(@TempDir Path other) throws Exception {
        Clock fixed = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            Path repo = Files.createDirectories(other.resolve("r" + i));
            Cli c = new Cli(repo).withClock(fixed);
            c.run("init").ok();
            Repos.relaxPolicy(repo);
            Files2.random(repo.resolve("m.bin"), 4096, 9);
            c.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "m.bin").ok();
            ids[i] = git(repo, "rev-parse", "churn@v1.0.0").ok().out();
        }
        assertEquals(ids[0], ids[1]);
        assertNotEquals("", ids[0]);
    }

    @Test
    void other_staged_changes_are_left_out_of_the_registration_commit() throws Exception {
        Files2.write(dir.resolve("notes.txt"), "wip");
        git(dir, "add", "notes.txt").ok();
        registerFirst();
        String files = git(dir, "ls-tree", "-r", "--name-only", "churn@v1.0.0").ok().out();
        assertFalse(files.contains("notes.txt"), files);
        assertTrue(git(dir, "diff", "--cached", "--name-only").ok().out().contains("notes.txt"), "still staged");
    }

    @Test
    void the_shipped_metadata_template_is_accepted_by_register() throws Exception {
        Path template = Path.of("templates/metadata.json").toAbsolutePath();
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "models/churn/model.pkl",
                "--metadata", template.toString()).ok();
        JsonNode m = metadata();
        assertEquals("customers-2026-11-01", m.get("dataset_snapshot_id").asText());
        assertEquals("team-retention", m.get("extra").get("owner").asText());
    }
}
