package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Edge cases found in review, each pinned by the behaviour a user would see. */
class HardeningTest {
    @TempDir
    Path dir;

    @TempDir
    Path outside;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
    }

    /** What a user can see: the work tree, the index and the refs (not the cache or unreferenced git objects). */
    static Map<String, String> withoutCache(Map<String, String> s) {
        s.keySet().removeIf(k -> k.startsWith(".git/mver/") || k.startsWith(".git/objects/"));
        return s;
    }

    private String branch() {
        return git(dir, "symbolic-ref", "--short", "HEAD").ok().out().trim();
    }

    @Test
    void a_lock_file_left_by_a_killed_command_is_named_with_the_way_out_and_not_retried_forever() throws Exception {
        Files2.random(dir.resolve("model.bin"), 5000, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        java.nio.file.attribute.FileTime minuteAgo = java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 60_000);
        for (String[] c : new String[][] {
            {"index.lock", "add", "model.bin"},
            {"refs/heads/" + branch() + ".lock", "register", "m", "--bump", "minor", "-m", "b", "--param", "lr=1"},
            {"refs/mver/events/m.lock", "promote", "m@v1.0.0", "production", "-m", "ship"},
            {"packed-refs.lock", "promote", "m@v1.0.0", "staging", "-m", "ship"},
        }) {
            Files2.random(dir.resolve("model.bin"), 5000, c.length);
            Path lock = Files.writeString(dir.resolve(".git/" + c[0]), "");
            Files.setLastModifiedTime(lock, minuteAgo);
            Cli.Result r = cli.run(java.util.Arrays.copyOfRange(c, 1, c.length)).fails(5);
            assertTrue(r.err().contains(".git/" + c[0]) && r.err().contains("remove"), r.err());
            Files.delete(lock);
            cli.run(java.util.Arrays.copyOfRange(c, 1, c.length)).ok();
        }
    }

    @Test
    void an_artifact_committed_before_mver_is_not_carried_into_the_registration_commit() {
        Files2.random(dir.resolve("model.bin"), 5000, 1);
        git(dir, "add", "-A").ok();
        git(dir, "commit", "-qm", "before mver").ok();
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        String tree = git(dir, "ls-tree", "-r", "--name-only", "m@v1.0.0").ok().out();
        assertFalse(tree.contains("model.bin\n"), tree);
        assertTrue(tree.contains("model.bin.mver"), tree);
        assertEquals("", git(dir, "status", "--porcelain").ok().out());
    }

    @Test
    void a_registration_refused_at_the_last_step_leaves_the_work_tree_and_index_untouched() throws Exception {
        Files2.random(dir.resolve("model.bin"), 5000, 1);
        Map<String, String> before = withoutCache(Files2.snapshot(dir));
        // Another process holds the branch: the ref update fails after everything else was computed.
        Path lock = Files.writeString(dir.resolve(".git/refs/heads/" + branch() + ".lock"), "");
        Cli.Result r = cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin");
        Files.delete(lock);
        assertEquals(5, r.code(), r.err());
        assertEquals(before, withoutCache(Files2.snapshot(dir)));
    }

    @Test
    void checkout_to_the_work_tree_itself_into_git_or_onto_a_file_is_refused() throws Exception {
        Files2.random(dir.resolve("model.bin"), 5000, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        Files2.random(dir.resolve("model.bin"), 5000, 2);
        String unsaved = Files2.sha256(dir.resolve("model.bin"));
        assertTrue(cli.run("checkout", "m@v1.0.0", "--to", ".").fails(2).err().contains("the work tree itself"));
        assertTrue(cli.run("checkout", "m@v1.0.0", "--to", ".git/out").fails(2).err().contains("inside .git"));
        assertEquals(unsaved, Files2.sha256(dir.resolve("model.bin")));
        Path file = Files2.write(outside.resolve("a-file"), "x");
        cli.run("checkout", "m@v1.0.0", "--to", file.toString()).fails(2);
    }

    @Test
    void checkout_to_a_new_folder_inside_the_work_tree_writes_a_release_git_ignores() throws Exception {
        String v1 = Files2.sha256(Files2.random(dir.resolve("model.bin"), 5000, 1));
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        Files2.random(dir.resolve("model.bin"), 5000, 2);
        String unsaved = Files2.sha256(dir.resolve("model.bin"));
        cli.run("checkout", "m@v1.0.0", "--to", "release/").ok();
        assertEquals(v1, Files2.sha256(dir.resolve("release/model.bin")));
        assertEquals(unsaved, Files2.sha256(dir.resolve("model.bin")), "the work tree's own file is left alone");
        String status = git(dir, "status", "--porcelain", "--untracked-files=all").out();
        assertFalse(status.contains("release"), status);
        cli.run("checkout", "m@v1.0.0", "--to", "release/").ok(); // again: the same version, its own .gitignore
        Files2.write(dir.resolve("notes/readme.txt"), "mine");
        cli.run("checkout", "m@v1.0.0", "--to", "notes").fails(5); // a folder with other files: not a release's
        assertFalse(Files.exists(dir.resolve("notes/.gitignore")));
    }

    @Test
    void a_missing_object_fails_the_checkout_before_anything_is_written() throws Exception {
        Files2.random(dir.resolve("a.bin"), 5000, 1);
        String b = Files2.sha256(Files2.random(dir.resolve("b.bin"), 5000, 2));
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "a.bin", "--artifact", "b.bin").ok();
        Files.delete(dir.resolve(".git/mver/objects/" + b.substring(0, 2) + "/" + b.substring(2)));
        cli.run("checkout", "m@v1.0.0", "--to", outside.resolve("out").toString()).fails(4);
        assertFalse(Files.exists(outside.resolve("out/a.bin")), "no half-built release");
    }

    @Test
    void a_directory_release_is_exactly_its_manifest() throws Exception {
        Files2.write(dir.resolve("hf/config.json"), "{}");
        Files2.write(dir.resolve("hf/extra.txt"), "v1 only");
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "hf").ok();
        Files.delete(dir.resolve("hf/extra.txt"));
        cli.run("register", "m", "--version", "1.1.0", "-m", "b").ok();
        Files2.write(outside.resolve("out/hf/stale.bin"), "stale");
        cli.run("checkout", "m@v1.1.0", "--to", outside.resolve("out").toString()).fails(5);
        // In the work tree, files of another version that are safe in the cache are removed.
        cli.run("checkout", "m@v1.0.0").ok();
        assertTrue(Files.exists(dir.resolve("hf/extra.txt")));
        cli.run("checkout", "m@v1.1.0").ok();
        assertFalse(Files.exists(dir.resolve("hf/extra.txt")));
        Files2.write(dir.resolve("hf/notes.txt"), "my unsaved notes");
        cli.run("checkout", "m@v1.0.0").fails(5);
        assertEquals("my unsaved notes", Files.readString(dir.resolve("hf/notes.txt")));
    }

    @Test
    void nested_artifacts_are_refused() {
        Files2.write(dir.resolve("hf/sub/w.bin"), "w");
        Files2.write(dir.resolve("hf/config.json"), "{}");
        cli.run("add", "hf").ok();
        assertTrue(cli.run("add", "hf/sub/w.bin").fails(2).err().contains("cannot nest"));
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "hf", "--artifact", "hf/sub").fails(2);
    }

    @Test
    void an_artifact_whose_name_ends_in_a_space_is_still_ignored() {
        Files2.write(dir.resolve("w#x "), "y");
        cli.run("add", "w#x ").ok();
        assertEquals(0, git(dir, "check-ignore", "-q", "w#x ").code());
    }

    @Test
    void control_characters_from_the_repository_never_reach_the_terminal() {
        Files2.random(dir.resolve("model.bin"), 100, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "line1\r\u001b[31mred\u0001", "--artifact", "model.bin",
                "--param", "k=v\u001b[2J").ok();
        String shown = cli.run("show", "m").ok().out();
        assertFalse(shown.contains("\u001b") || shown.contains("\r") || shown.contains("\u0001"), shown);
        assertTrue(shown.contains("\\x1b[31mred"), shown);
    }

    @Test
    void empty_keys_and_case_folded_model_names_are_refused() {
        Files2.random(dir.resolve("model.bin"), 100, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin", "--param", "=x").fails(2);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        cli.run("register", "Churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").fails(5);
    }

    @Test
    void a_version_tag_made_by_another_tool_does_not_break_status() throws Exception {
        git(dir, "commit", "-qm", "init").ok();
        git(dir, "tag", "-a", "fake@v1.0.0", "-m", "made by hand").ok();
        Cli.Result r = cli.run("status").ok();
        assertTrue(r.out().contains("fake@v1.0.0") && r.out().contains("no mver payload"), r.out());
    }

    @Test
    void a_python3_that_never_exits_does_not_hang_registration() throws Exception {
        Path bin = Files.createDirectories(outside.resolve("bin"));
        Path finished = outside.resolve("python3-finished");
        // Stuck in a child process, as a hung interpreter would be; it leaves a mark only if it is waited out (a
        // killed sleep fails, so the shell, should it outlive it for a moment, does not touch the mark).
        Path python = Files.writeString(bin.resolve("python3"), "#!/bin/sh\nsleep 600 && touch '" + finished
                + "'\n");
        python.toFile().setExecutable(true);
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("MVER_PYTHON_TIMEOUT_SECONDS", "1");
        Files2.random(dir.resolve("model.bin"), 100, 1);
        cli.withEnv(env).run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        // Given up after its timeout and killed, not waited for: it never got to leave its mark, and the record
        // says nothing about a Python it never heard from.
        assertFalse(Files.exists(finished), "registration waited for the hung python3 to finish");
        var environment = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve(".mver/models/m.json").toFile()).get("environment");
        assertEquals(0, environment.get("runtimes").size(), environment.toString());
    }
}
