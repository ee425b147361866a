package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mver beside the git commands a team runs every day: a commit waiting in its editor, hand edits to ignore files,
 * Windows checkouts that rewrite line endings.
 */
class EverydayGitTest {
    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.withOrigin(tmp, "repo", true);
        cli = new Cli(repo);
        cli.run("remote", "add", "shared", "../store", "--default").ok();
    }

    @Test
    void register_stops_before_writing_anything_while_a_git_commit_holds_the_index() throws Exception {
        Files2.random(repo.resolve("model.bin"), 20_000, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        Files2.write(repo.resolve("notes.txt"), "first\n");
        git(repo, "add", "notes.txt").ok();
        git(repo, "commit", "-qm", "notes").ok();
        // `git commit -a` holds .git/index.lock while its editor is open.
        Path release = tmp.resolve("editor-may-finish");
        Path editor = Files2.write(tmp.resolve("editor.sh"),
                "#!/bin/sh\nwhile [ ! -e '" + release + "' ]; do sleep 0.05; done\necho 'edit notes' > \"$1\"\n");
        editor.toFile().setExecutable(true);
        Files2.write(repo.resolve("notes.txt"), "second\n");
        CompletableFuture<GitBinary.Result> commit = CompletableFuture.supplyAsync(() -> GitBinary.run(repo,
                Map.of("GIT_EDITOR", editor.toString()), List.of("git", "commit", "-a")));
        for (int i = 0; i < 200 && !Files.exists(repo.resolve(".git/index.lock")); i++) {
            Thread.sleep(25);
        }
        assertTrue(Files.exists(repo.resolve(".git/index.lock")), "git commit -a holds the index");

        Files2.random(repo.resolve("model.bin"), 20_000, 2);
        String head = git(repo, "rev-parse", "HEAD").ok().out();
        String metadata = Files2.read(repo.resolve(".mver/models/m.json"));
        Cli.Result refused = cli.run("register", "m", "--version", "1.1.0", "-m", "v2").fails(5);
        assertTrue(refused.err().contains("index"), refused.err());
        assertEquals(head, git(repo, "rev-parse", "HEAD").ok().out(), "no commit");
        assertEquals("", git(repo, "tag", "-l", "m@v1.1.0").ok().out(), "no tag");
        assertEquals(metadata, Files2.read(repo.resolve(".mver/models/m.json")), "the work tree as it was");

        Files.createFile(release);
        commit.get().ok();
        cli.run("register", "m", "--version", "1.1.0", "-m", "v2").ok();
        Files2.write(repo.resolve("notes.txt"), "third\n");
        git(repo, "commit", "-qam", "more notes").ok();
        assertEquals(Files2.read(repo.resolve(".mver/models/m.json")),
                git(repo, "show", "HEAD:.mver/models/m.json").ok().out(), "the next commit keeps the registration");
        assertTrue(Files2.read(repo.resolve(".mver/models/m.json")).contains("\"version\": \"1.1.0\""));
    }

    @Test
    void the_registration_commit_and_add_carry_mvers_ignore_entries_and_leave_the_users_edits_unstaged() {
        Files2.random(repo.resolve("models/a.bin"), 10_000, 1);
        cli.run("register", "a", "--version", "1.0.0", "-m", "a", "--artifact", "models/a.bin").ok();
        // The user starts editing the folder's .gitignore and has not staged it.
        Files2.write(repo.resolve("models/.gitignore"), Files2.read(repo.resolve("models/.gitignore")) + "scratch/\n");

        Files2.random(repo.resolve("models/b.bin"), 10_000, 2);
        cli.run("register", "b", "--version", "1.0.0", "-m", "b", "--artifact", "models/b.bin").ok();
        String committed = git(repo, "show", "b@v1.0.0:models/.gitignore").ok().out();
        assertEquals("/a.bin\n/b.bin\n", committed, "only mver's entries are committed");
        assertEquals("", git(repo, "diff", "--cached", "--name-only").ok().out(), "nothing left staged");
        assertTrue(git(repo, "diff", "models/.gitignore").ok().out().contains("+scratch/"), "still the user's edit");

        Files2.random(repo.resolve("models/c.bin"), 10_000, 3);
        cli.run("add", "models/c.bin").ok();
        assertEquals("/a.bin\n/b.bin\n/c.bin\n", git(repo, "show", ":models/.gitignore").ok().out());
        assertEquals("/a.bin\nscratch/\n/b.bin\n/c.bin\n", Files2.read(repo.resolve("models/.gitignore")));
    }

    /** A repository made before mver wrote .gitattributes, cloned the way Git for Windows does by default. */
    @Test
    void a_windows_clone_with_crlf_pointers_checks_out_verifies_and_stays_clean() throws Exception {
        String sha = Files2.sha256(Files2.random(repo.resolve("models/model.bin"), 30_000, 4));
        Files2.write(repo.resolve("models/enc/vocab.txt"), "a\nb\n");
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "models/model.bin",
                "--artifact", "models/enc").ok();
        git(repo, "rm", "-q", ".gitattributes").ok();
        git(repo, "commit", "-qm", "as an older mver left it").ok();
        cli.run("push").ok();

        Path win = tmp.resolve("win");
        git(tmp, "-c", "core.autocrlf=true", "clone", "-q", tmp.resolve("origin.git").toString(), win.toString()).ok();
        git(win, "config", "core.autocrlf", "true").ok();
        assertTrue(Files2.read(win.resolve("models/model.bin.mver")).contains("\r\n"), "git wrote CRLF pointers");
        Cli w = cli.in(win);
        w.run("checkout").ok();
        assertEquals(sha, Files2.sha256(win.resolve("models/model.bin")));
        assertEquals(0, w.run("verify", "--all").code());
        assertTrue(w.run("status").ok().out().startsWith("clean"), w.run("status").out());
        assertEquals("", git(win, "status", "--porcelain").ok().out());

        // The next add in that older repository writes the attributes that keep pointers byte-exact.
        Files2.random(win.resolve("models/other.bin"), 1000, 5);
        w.run("add", "models/other.bin").ok();
        assertTrue(git(win, "show", ":.gitattributes").ok().out().contains("*.mver -text"));
    }

    @Test
    void pointers_and_records_stay_byte_exact_under_text_eol_crlf() throws Exception {
        Files2.write(repo.resolve(".gitattributes"), "* text eol=crlf\n");
        git(repo, "add", ".gitattributes").ok();
        git(repo, "commit", "-qm", "windows line endings for everything").ok();
        cli.run("init").ok();
        Files2.random(repo.resolve("model.bin"), 30_000, 6);
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        cli.run("push").ok();

        Path win = tmp.resolve("win");
        git(tmp, "-c", "core.autocrlf=true", "clone", "-q", tmp.resolve("origin.git").toString(), win.toString()).ok();
        assertEquals(Files2.read(repo.resolve("model.bin.mver")), Files2.read(win.resolve("model.bin.mver")));
        assertEquals(Files2.read(repo.resolve(".mver/models/m.json")), Files2.read(win.resolve(".mver/models/m.json")));
        assertFalse(Files2.read(win.resolve("model.bin.mver")).contains("\r"));
        cli.in(win).run("checkout").ok();
        assertTrue(cli.in(win).run("status").ok().out().startsWith("clean"));
    }

    @Test
    void a_git_lfs_pointer_left_by_a_clone_without_lfs_is_refused_as_a_model() throws Exception {
        assertEquals(0, GitBinary.run(tmp, Map.of(), List.of("git", "lfs", "version")).code(),
                "git-lfs is needed for this test (apt-get install git-lfs; .ci/run installs it)");
        Path lfs = tmp.resolve("lfs");
        git(tmp, "init", "-q", lfs.toString()).ok();
        git(lfs, "lfs", "install", "--local").ok();
        git(lfs, "lfs", "track", "*.bin").ok();
        Files2.random(lfs.resolve("models/model.bin"), 100_000, 1);
        Files2.random(lfs.resolve("models/tokenizer/weights.bin"), 1000, 2);
        git(lfs, "add", "-A").ok();
        git(lfs, "commit", "-qm", "models in lfs").ok();
        Path clone = tmp.resolve("clone");
        GitBinary.run(tmp, Map.of("GIT_LFS_SKIP_SMUDGE", "1"), List.of("git", "clone", "-q", lfs.toString(),
                clone.toString())).ok();
        assertTrue(Files2.read(clone.resolve("models/model.bin")).startsWith("version https://git-lfs"));
        Cli c = cli.in(clone);
        c.run("init").ok();
        Map<String, String> before = Files2.snapshot(clone);
        Cli.Result r = c.run("add", "models/model.bin").fails(2);
        assertTrue(r.err().contains("git-lfs pointer") && r.err().contains("git lfs pull"), r.err());
        c.run("register", "m", "--version", "1.0.0", "-m", "x", "--artifact", "models/model.bin").fails(2);
        c.run("add", "models/tokenizer").fails(2);
        before.keySet().removeIf(k -> k.startsWith(".git/"));
        Map<String, String> after = Files2.snapshot(clone);
        after.keySet().removeIf(k -> k.startsWith(".git/"));
        assertEquals(before, after, "nothing written");
    }
}
