package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped pre-commit hook, installed by the packaged jar and run by real `git commit`. */
class PreCommitHookIT {
    @TempDir
    Path repo;

    @BeforeEach
    void setUp() {
        MverProcess.run(repo, "init").ok();
        git(repo, "commit", "-qm", "init").ok();
    }

    static GitBinary.Result commit(Path repo, Map<String, String> env, String message) {
        return GitBinary.run(repo, env, List.of("git", "commit", "-q", "-m", message));
    }

    Map<String, String> state() {
        Map<String, String> s = Files2.snapshot(repo);
        s.keySet().removeIf(k -> k.startsWith(".git/") || k.startsWith(".git/mver/"));
        s.put("index", git(repo, "ls-files", "-s").ok().out());
        s.put("HEAD", git(repo, "rev-parse", "HEAD").ok().out());
        return s;
    }

    @Test
    void a_model_committed_straight_into_git_is_blocked_with_the_fix_and_the_fixed_commit_goes_through() {
        assertTrue(MverProcess.run(repo, "hook", "install").ok().out().startsWith("installed "));
        Files2.random(repo.resolve("models/model_final.pkl"), 5000, 1);
        git(repo, "add", "models/model_final.pkl").ok();
        Map<String, String> before = state();

        GitBinary.Result blocked = commit(repo, Map.of(), "add model");
        assertNotEquals(0, blocked.code());
        assertTrue(blocked.err().contains("models/model_final.pkl: model file staged directly into git"), blocked.err());
        assertTrue(blocked.err().contains("fix: git rm --cached models/model_final.pkl && mver add models/model_final.pkl"),
                blocked.err());
        assertTrue(blocked.err().contains("informal name"), blocked.err());
        assertEquals(before, state(), "the hook changed nothing");

        git(repo, "rm", "-q", "--cached", "models/model_final.pkl").ok();
        git(repo, "mv", "-k", "models/model_final.pkl", "models/model.pkl");
        GitBinary.run(repo, Map.of(), List.of("mv", "models/model_final.pkl", "models/model.pkl")).ok();
        MverProcess.run(repo, "add", "models/model.pkl").ok();
        commit(repo, Map.of(), "track the model").ok();
        assertEquals("models/model.pkl.mver\n", git(repo, "show", "--name-only", "--format=", "HEAD")
                .ok().out().lines().filter(l -> l.endsWith(".mver")).map(l -> l + "\n").findFirst().orElse(""));
    }

    @Test
    void a_model_staged_after_an_ordinary_file_is_blocked_too() {
        MverProcess.run(repo, "hook", "install").ok();
        // Sorted before the model, an ordinary file used to make the shell prefilter's verdict start with its blob
        // id instead of "check", and the commit went through unchecked.
        Files2.write(repo.resolve("README.md"), "notes\n");
        Files2.random(repo.resolve("models/model.pkl"), 5000, 1);
        git(repo, "add", "README.md", "models/model.pkl").ok();
        GitBinary.Result blocked = commit(repo, Map.of(), "notes and a model");
        assertNotEquals(0, blocked.code(), blocked.out() + blocked.err());
        assertTrue(blocked.err().contains("models/model.pkl: model file staged directly into git"), blocked.err());
    }

    @Test
    void file_names_built_to_inject_shell_commands_are_only_ever_data() {
        MverProcess.run(repo, "hook", "install").ok();
        for (String name : List.of("$(touch pwned1).pt", "`touch pwned2`.bin", "a;touch pwned3;.onnx",
                "x' -o -name 'y.pkl", "new\nline.pt")) {
            Files2.random(repo.resolve(name), 100, name.length());
        }
        git(repo, "add", "-A").ok();
        GitBinary.Result blocked = commit(repo, Map.of(), "hostile names");
        assertNotEquals(0, blocked.code());
        assertTrue(blocked.err().contains("model file staged directly into git"), blocked.err());
        for (int i = 1; i <= 3; i++) {
            assertFalse(java.nio.file.Files.exists(repo.resolve("pwned" + i)), "pwned" + i + " was created");
        }
    }

    @Test
    void a_changed_model_without_a_new_version_is_blocked_until_it_is_registered() {
        MverProcess.run(repo, "hook", "install").ok();
        Files2.random(repo.resolve("model.onnx"), 3000, 1);
        MverProcess.run(repo, "register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "model.onnx",
                "--dataset", "d1", "--feature-set", "f1", "--lib", "onnxruntime=1.19.2").ok();
        Files2.random(repo.resolve("model.onnx"), 3000, 2);
        MverProcess.run(repo, "add", "model.onnx").ok();
        GitBinary.Result blocked = commit(repo, Map.of(), "sneaky retrain");
        assertNotEquals(0, blocked.code());
        assertTrue(blocked.err().contains("model.onnx changed but churn is still v1.0.0"), blocked.err());
        assertTrue(blocked.err().contains("mver register churn --bump auto"), blocked.err());
        MverProcess.run(repo, "register", "churn", "--bump", "auto", "-m", "retrained on new data").ok();
        assertEquals("", git(repo, "status", "--porcelain").ok().out());
    }

    @Test
    void ordinary_commits_never_start_mver(@TempDir Path scratch) throws Exception {
        MverProcess.run(repo, "hook", "install").ok();
        Path marker = scratch.resolve("mver-was-started");
        Path fake = Files.writeString(scratch.resolve("fake-mver"), "#!/bin/sh\ntouch '" + marker + "'\nexit 0\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = Map.of("MVER", fake.toString());

        Files2.write(repo.resolve("src/train.py"), "print('train')\n");
        Files2.write(repo.resolve("README.md"), "# churn\n");
        git(repo, "add", ".").ok();
        commit(repo, env, "code only").ok();
        assertFalse(Files.exists(marker), "an unrelated commit started mver");

        Files2.random(repo.resolve("features.parquet"), 10, 1);
        git(repo, "add", "features.parquet").ok();
        commit(repo, env, "data").ok();
        assertTrue(Files.exists(marker), "a model-like file must be checked");
    }

    @Test
    void an_existing_hook_in_core_hooks_path_is_chained_and_restored_on_uninstall() throws Exception {
        git(repo, "config", "core.hooksPath", ".githooks").ok();
        Path legacy = Files2.write(repo.resolve(".githooks/pre-commit"), "#!/bin/sh\necho legacy-hook-ran >&2\nexit 0\n");
        Files.setPosixFilePermissions(legacy, PosixFilePermissions.fromString("rwxr-xr-x"));

        GitBinary.Result installed = MverProcess.run(repo, "hook", "install").ok();
        assertTrue(installed.out().contains("pre-commit.mver-chained") && installed.out().contains("runs first"),
                installed.out());
        assertTrue(MverProcess.run(repo, "hook", "install").ok().out().startsWith("updated "));
        Files2.write(repo.resolve("notes.txt"), "x");
        git(repo, "add", "notes.txt").ok();
        GitBinary.Result ok = commit(repo, Map.of(), "notes").ok();
        assertTrue(ok.err().contains("legacy-hook-ran"), ok.err());

        Files.writeString(repo.resolve(".githooks/pre-commit.mver-chained"), "#!/bin/sh\nexit 7\n");
        Files2.write(repo.resolve("notes.txt"), "y");
        git(repo, "add", "notes.txt").ok();
        String head = git(repo, "rev-parse", "HEAD").ok().out();
        assertNotEquals(0, commit(repo, Map.of(), "blocked by the chained hook").code());
        assertEquals(head, git(repo, "rev-parse", "HEAD").ok().out(), "the chained hook's failure blocks the commit");

        assertTrue(MverProcess.run(repo, "hook", "uninstall").ok().out().contains("restored"));
        assertEquals("#!/bin/sh\nexit 7\n", Files.readString(repo.resolve(".githooks/pre-commit")));
        assertFalse(Files.exists(repo.resolve(".githooks/pre-commit.mver-chained")));
        assertEquals(5, MverProcess.run(repo, "hook", "uninstall").code(), "a foreign hook is left alone");
    }

    @Test
    void git_push_uploads_the_artifact_objects_first_through_the_pre_push_hook(@TempDir Path other) throws Exception {
        Path origin = other.resolve("origin.git");
        git(other, "init", "-q", "--bare", origin.toString()).ok();
        git(repo, "remote", "add", "origin", origin.toString()).ok();
        MverProcess.run(repo, "remote", "add", "shared", other.resolve("store").toString()).ok();
        String installed = MverProcess.run(repo, "hook", "install").ok().out();
        assertTrue(installed.contains("pre-push"), installed);
        String sha = Files2.sha256(Files2.random(repo.resolve("model.onnx"), 5000, 1));
        MverProcess.run(repo, "register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "model.onnx",
                "--dataset", "d1", "--feature-set", "f1", "--lib", "onnxruntime=1.19.2").ok();
        Path object = other.resolve("store/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
        assertFalse(Files.exists(object));
        GitBinary.run(repo, Map.of(), List.of("git", "push", "-q", "origin", "main", "--tags")).ok();
        assertTrue(Files.exists(object), "the hook uploaded the object before git sent the tag");
        assertEquals(git(repo, "rev-parse", "churn@v1.0.0").ok().out(), git(origin, "rev-parse", "churn@v1.0.0").ok().out());
    }

    @Test
    void a_merge_that_brings_a_committed_model_or_an_archived_one_is_blocked_too() {
        MverProcess.run(repo, "hook", "install").ok();
        String main = git(repo, "rev-parse", "--abbrev-ref", "HEAD").ok().out().strip();
        git(repo, "checkout", "-q", "-b", "feat").ok();
        Files2.random(repo.resolve("model.pkl.gz"), 500, 1);
        git(repo, "add", "model.pkl.gz").ok();
        GitBinary.Result archived = commit(repo, Map.of(), "archived model");
        assertNotEquals(0, archived.code());
        assertTrue(archived.err().contains("model.pkl.gz: model file staged directly into git"), archived.err());
        // Someone commits it anyway, past the hook; the merge into main is where it is caught.
        git(repo, "commit", "-q", "--no-verify", "-m", "archived model").ok();
        git(repo, "checkout", "-q", main).ok();
        Files2.write(repo.resolve("notes.txt"), "main moves on\n");
        git(repo, "add", "notes.txt").ok();
        commit(repo, Map.of(), "notes").ok();
        String head = git(repo, "rev-parse", "HEAD").ok().out();
        GitBinary.Result merged = GitBinary.run(repo, Map.of(), List.of("git", "merge", "--no-ff", "-q", "-m", "merge",
                "feat"));
        assertNotEquals(0, merged.code());
        assertTrue(merged.err().contains("model file staged directly into git"), merged.err());
        assertEquals(head, git(repo, "rev-parse", "HEAD").ok().out(), "no merge commit");
    }
}
