package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy engine with its default configuration, as `mver check` and `mver register` apply it. */
class PolicyTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir);
        cli.run("init").ok();
        git(dir, "commit", "-qm", "init").ok();
    }

    void registerFirst() {
        Files2.random(dir.resolve("models/model.pkl"), 2000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "models/model.pkl",
                "--dataset", "snap-1", "--feature-set", "fs-1", "--features", "a,b", "--lib", "xgboost=2.1.1").ok();
    }

    JsonNode violations(String... extra) throws Exception {
        String[] args = new String[extra.length + 2];
        args[0] = "check";
        args[1] = "--json";
        System.arraycopy(extra, 0, args, 2, extra.length);
        Cli.Result r = cli.run(args);
        JsonNode report = JSON.readTree(r.out());
        assertEquals(report.get("ok").asBoolean() ? 0 : 3, r.code(), r.err());
        return report.get("violations");
    }

    static String rules(JsonNode violations) {
        StringBuilder sb = new StringBuilder();
        violations.forEach(v -> sb.append(v.get("rule").asText()).append(':').append(v.get("path").asText()).append(' '));
        return sb.toString().strip();
    }

    @Test
    void a_model_file_staged_into_git_is_a_violation_naming_the_file_and_the_fix() throws Exception {
        Files2.random(dir.resolve("weights.onnx"), 100, 1);
        git(dir, "add", "weights.onnx").ok();
        JsonNode v = violations("--staged");
        assertEquals("model-in-git:weights.onnx", rules(v));
        assertEquals("git rm --cached weights.onnx && mver add weights.onnx", v.get(0).get("fix").asText());
        Cli.Result human = cli.run("check", "--staged");
        assertEquals(3, human.code());
        assertTrue(human.err().contains("weights.onnx") && human.err().contains("mver add weights.onnx"), human.err());

        git(dir, "rm", "-q", "--cached", "weights.onnx").ok();
        cli.run("add", "weights.onnx").ok();
        assertEquals("", rules(violations("--staged")));
    }

    @Test
    void a_large_file_of_any_name_is_a_violation() throws Exception {
        Files.writeString(dir.resolve(".mver/config.json"),
                "{\"schema\": \"mver/config/v1\", \"policy\": {\"max_file_bytes\": 4096}}\n");
        git(dir, "commit", "-qam", "policy").ok();
        Files2.random(dir.resolve("data/export.csv"), 5000, 1);
        Files2.random(dir.resolve("data/small.csv"), 100, 1);
        git(dir, "add", "data").ok();
        assertEquals("model-in-git:data/export.csv", rules(violations("--staged")));
    }

    @Test
    void informal_names_are_violations() throws Exception {
        for (String name : new String[] {"model_final.pkl", "churn-latest.onnx", "model_v2_final.pt", "model (copy).h5"}) {
            Files2.random(dir.resolve("m/" + name), 10, 1);
        }
        cli.run("add", "m/churn-latest.onnx").fails(3); // refused up front; forced in, check still reports them
        cli.run("add", "m/model_final.pkl", "m/churn-latest.onnx", "m/model_v2_final.pt", "m/model (copy).h5",
                "--force").ok();
        Files2.random(dir.resolve("m/encoder.pkl"), 10, 1);
        cli.run("add", "m/encoder.pkl").ok();
        assertEquals("informal-name:m/churn-latest.onnx informal-name:m/model (copy).h5 "
                + "informal-name:m/model_final.pkl informal-name:m/model_v2_final.pt", rules(violations("--staged")));
    }

    @Test
    void a_pointer_changed_without_a_new_version_is_a_violation() throws Exception {
        registerFirst();
        Files2.random(dir.resolve("models/model.pkl"), 2000, 2);
        cli.run("add", "models/model.pkl").ok();
        JsonNode v = violations("--staged");
        assertEquals("changed-without-version:models/model.pkl.mver", rules(v));
        assertTrue(v.get(0).get("message").asText().contains("churn is still v1.0.0"), v.toString());
        cli.run("register", "churn", "--bump", "auto", "-m", "retrained").ok();
        assertEquals("", rules(violations("--staged")));
        assertEquals("", rules(violations()));
    }

    @Test
    void hand_edited_metadata_is_checked_for_bump_size_fields_and_version_order() throws Exception {
        registerFirst();
        Path meta = dir.resolve(".mver/models/churn.json");
        String original = Files.readString(meta);

        // New bytes with other features (with the bytes unchanged, a feature list edit is only a correction).
        Files.writeString(meta, original.replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\"")
                .replace("\"b\"", "\"c\"").replaceFirst("\"sha256\": \"[0-9a-f]{64}\"",
                        "\"sha256\": \"" + "a".repeat(64) + "\""));
        git(dir, "add", ".mver/models/churn.json").ok();
        JsonNode v = violations("--staged");
        assertEquals("bump-too-small:.mver/models/churn.json", rules(v));
        assertTrue(v.get(0).get("message").asText().contains("needs major"), v.toString());

        Files.writeString(meta, original.replace("\"snap-1\"", "\"snap-2\""));
        git(dir, "add", ".mver/models/churn.json").ok();
        v = violations("--staged");
        assertEquals("version-order:.mver/models/churn.json", rules(v));
        assertTrue(v.get(0).get("message").asText().contains("already exists with other content"), v.toString());

        Files.writeString(meta, original.replace("\"version\": \"1.0.0\"", "\"version\": \"0.9.0\""));
        git(dir, "add", ".mver/models/churn.json").ok();
        assertTrue(violations("--staged").get(0).get("message").asText().contains("not greater"));

        Files.writeString(meta, original.replace("\"version\": \"1.0.0\"", "\"version\": \"1.0.1\"")
                .replace("\"dataset_snapshot_id\": \"snap-1\"", "\"dataset_snapshot_id\": null"));
        git(dir, "add", ".mver/models/churn.json").ok();
        // With the bytes unchanged, dropping the dataset is a (bad) correction: the missing field is the problem.
        assertEquals("missing-fields:.mver/models/churn.json", rules(violations("--staged")));
    }

    @Test
    void rules_can_be_switched_off_in_the_committed_config_only() throws Exception {
        String off = "{\"schema\": \"mver/config/v1\", \"policy\": "
                + "{\"rules\": {\"model-in-git\": false, \"informal-name\": false}}}\n";
        String original = Files.readString(dir.resolve(".mver/config.json"));
        Files2.random(dir.resolve("model_final.pkl"), 100, 1);
        git(dir, "add", "model_final.pkl").ok();
        // Switched off by an uncommitted edit, or in the very commit that adds the model: the committed policy holds.
        Files.writeString(dir.resolve(".mver/config.json"), off);
        assertEquals("model-in-git:model_final.pkl informal-name:model_final.pkl", rules(violations("--staged")));
        git(dir, "add", ".mver/config.json").ok();
        Cli.Result both = cli.run("check", "--staged");
        assertEquals(3, both.code());
        assertTrue(both.err().contains("warning: this commit changes the policy in .mver/config.json (model-in-git off, "
                + "informal-name off); this commit is still checked against the committed policy"), both.err());
        // The policy change on its own passes, with the warning; then the rules are off.
        git(dir, "rm", "-q", "--cached", "model_final.pkl").ok();
        Cli.Result alone = cli.run("check", "--staged");
        assertEquals(0, alone.code(), alone.err());
        assertTrue(alone.err().contains("this commit changes the policy"), alone.err());
        git(dir, "commit", "-qm", "relax the policy").ok();
        assertTrue(cli.run("check").ok().err().contains("the last commit"), "CI sees the change too");
        git(dir, "add", "model_final.pkl").ok();
        assertEquals("", rules(violations("--staged")));
        Files.writeString(dir.resolve(".mver/config.json"), original);
        Files.writeString(dir.resolve(".mver/config.json"), "{\"schema\": \"mver/config/v1\", \"policy\": "
                + "{\"rules\": {\"no-such-rule\": false}}}\n");
        assertTrue(cli.run("check").fails(2).err().contains("no-such-rule"));
    }

    @Test
    void a_broken_committed_config_cannot_let_a_staged_one_switch_the_rules_off() throws Exception {
        Files.writeString(dir.resolve(".mver/config.json"), "{\"schema\": \"mver/config/v1\", \"policy\": \n");
        git(dir, "commit", "-qam", "broken config").ok();
        Files.writeString(dir.resolve(".mver/config.json"), "{\"schema\": \"mver/config/v1\", \"policy\": "
                + "{\"rules\": {\"model-in-git\": false}}}\n");
        Files2.random(dir.resolve("x.pkl"), 100, 1);
        git(dir, "add", "x.pkl", ".mver/config.json").ok();
        Cli.Result r = cli.run("check", "--staged");
        assertEquals(3, r.code(), r.err());
        assertTrue(r.err().contains("does not parse; the default policy applies"), r.err());
    }

    @Test
    void register_refuses_a_too_small_bump_and_missing_fields_unless_forced_and_writes_nothing() throws Exception {
        registerFirst();
        Files2.random(dir.resolve("models/model.pkl"), 2000, 3);
        Map<String, String> before = withoutCache(Files2.snapshot(dir));
        Cli.Result r = cli.run("register", "churn", "--bump", "patch", "-m", "retrained").fails(3);
        assertTrue(r.err().contains("needs minor") && r.err().contains("--bump minor"), r.err());
        // The new bytes were hashed into the cache on their one read (an unreferenced object); nothing else changed.
        assertEquals(before, withoutCache(Files2.snapshot(dir)));
        cli.run("register", "churn", "--bump", "patch", "-m", "retrained", "--force").ok();

        Files2.random(dir.resolve("other.bin"), 10, 1);
        r = cli.run("register", "other", "--version", "1.0.0", "-m", "x", "--artifact", "other.bin").fails(3);
        assertTrue(r.err().contains("missing library_versions, dataset_snapshot_id, feature_set_version")
                && r.err().contains("--requirements"), r.err());
    }

    @Test
    void bump_auto_and_suggest_follow_the_bump_rules() throws Exception {
        registerFirst();
        assertEquals("none: no changes since v1.0.0\n", cli.run("bump", "churn", "--suggest").ok().out());
        Files2.random(dir.resolve("models/model.pkl"), 2000, 4);
        assertEquals("minor: v1.0.0 -> v1.1.0 (artifacts changed (retrained))\n",
                cli.run("bump", "churn", "--suggest").ok().out());
        cli.run("register", "churn", "--bump", "auto", "-m", "retrained").ok();
        cli.run("register", "churn", "--bump", "auto", "-m", "tuned", "--param", "depth=4").ok();
        // Unchanged bytes cannot have new features: the record was wrong, and correcting it is a patch.
        cli.run("register", "churn", "--bump", "auto", "-m", "the record forgot d", "--features", "a,b,c,d").ok();
        Files2.random(dir.resolve("models/model.pkl"), 2000, 5);
        cli.run("register", "churn", "--bump", "auto", "-m", "new features", "--features", "a,b,c").ok();
        String versions = cli.run("list").ok().out();
        assertTrue(versions.contains("v2.0.0"), versions);
        assertEquals("[\"2.0.0\",\"1.1.2\",\"1.1.1\",\"1.1.0\",\"1.0.0\"]",
                versionsOf(cli.run("log", "churn", "--json").ok().out()));
    }

    static Map<String, String> withoutCache(Map<String, String> snapshot) {
        snapshot.keySet().removeIf(k -> k.startsWith(".git/mver/"));
        return snapshot;
    }

    static String versionsOf(String logJson) throws Exception {
        StringBuilder sb = new StringBuilder("[");
        for (JsonNode e : JSON.readTree(logJson)) {
            sb.append(sb.length() > 1 ? "," : "").append('"').append(e.get("version").asText()).append('"');
        }
        return sb.append(']').toString();
    }

    @Test
    void check_without_staged_checks_the_whole_index_for_ci() throws Exception {
        registerFirst();
        assertEquals("", rules(violations()));
        Files2.random(dir.resolve("legacy.joblib"), 10, 1);
        git(dir, "add", "legacy.joblib").ok();
        git(dir, "commit", "-qm", "legacy", "--no-verify").ok();
        assertEquals("", rules(violations("--staged")));
        assertEquals("model-in-git:legacy.joblib", rules(violations()));
    }
}
