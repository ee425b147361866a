package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the bytes live: one cache per repository in git's common folder, shared by linked work trees, never reached
 * through a link a commit could plant, shared between clones only when the user says so.
 */
class CacheLocationTest {
    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
    }


    static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void a_version_registered_in_a_linked_worktree_survives_git_worktree_remove() {
        Files2.random(repo.resolve("model.bin"), 200_000, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        Path wt = tmp.resolve("wt");
        git(repo, "worktree", "add", "-q", "-b", "experiment", wt.toString()).ok();
        Cli inWt = cli.in(wt);
        String v2 = Files2.sha256(Files2.random(wt.resolve("model.bin"), 200_000, 2));
        inWt.run("register", "m", "--version", "1.1.0", "-m", "tried in a worktree", "--artifact", "model.bin").ok();
        assertTrue(Files.isRegularFile(Files2.cacheObject(repo, v2)), "the worktree's bytes are in the repository's one cache");
        assertFalse(Files.exists(wt.resolve(".mver/cache")), "no cache of its own in the worktree");

        git(repo, "worktree", "remove", "--force", wt.toString()).ok();
        Path out = tmp.resolve("out");
        cli.run("checkout", "m@v1.1.0", "--to", out.toString()).ok();
        assertEquals(v2, Files2.sha256(out.resolve("model.bin")));
    }

    @Test
    void an_older_per_worktree_cache_moves_into_git_folder_by_rename_on_first_use() throws Exception {
        String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), 200_000, 3));
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        // The layout of mver 0.1: every work tree had its own .mver/cache.
        Files.createDirectories(repo.resolve(".mver/cache"));
        Files.move(repo.resolve(".git/mver/objects"), repo.resolve(".mver/cache/objects"));
        Files2.write(repo.resolve(".mver/cache/stat-cache"), "mver-stat-cache v2\n");
        Object before = inode(repo.resolve(".mver/cache/objects/" + sha.substring(0, 2) + "/" + sha.substring(2)));

        Files.delete(repo.resolve("model.bin"));
        cli.run("checkout").ok();
        assertEquals(sha, Files2.sha256(repo.resolve("model.bin")));
        assertEquals(before, inode(Files2.cacheObject(repo, sha)), "moved, not copied");
        assertFalse(Files.exists(repo.resolve(".mver/cache")), "the old folder is gone once empty");
    }

    @Test
    void a_committed_link_for_mvers_cache_is_refused_and_the_other_repository_is_untouched() throws Exception {
        Path other = tmp.resolve("other");
        git(tmp, "init", "-q", other.toString()).ok();
        new Cli(other).run("init").ok();
        Files2.random(other.resolve("theirs.bin"), 50_000, 4);
        new Cli(other).run("add", "theirs.bin").ok();
        Map<String, String> theirs = Files2.snapshot(other.resolve(".git/mver"));

        Files.createSymbolicLink(repo.resolve(".mver/cache"), other.resolve(".git/mver"));
        git(repo, "add", "-f", ".mver/cache").ok();
        git(repo, "commit", "-qm", "a planted link").ok();
        Files2.random(repo.resolve("model.bin"), 50_000, 5);
        for (String[] cmd : new String[][] {{"add", "model.bin"}, {"gc"}, {"fetch"}, {"status"}, {"list"}}) {
            Cli.Result r = cli.run(cmd).fails(2);
            assertTrue(r.err().contains(".mver/cache") && r.err().contains("symbolic link")
                    && r.err().contains("mver.cacheDir"), r.err());
        }
        assertEquals(theirs, Files2.snapshot(other.resolve(".git/mver")));
    }

    @Test
    void a_linked_mver_folder_is_refused_before_anything_is_read_or_written() throws Exception {
        Path elsewhere = tmp.resolve("elsewhere");
        Files.move(repo.resolve(".mver"), elsewhere);
        Files.createSymbolicLink(repo.resolve(".mver"), elsewhere);
        Files2.random(repo.resolve("model.bin"), 50_000, 6);
        Map<String, String> before = Files2.snapshot(elsewhere);
        Cli.Result r = cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").fails(2);
        assertTrue(r.err().contains("symbolic link"), r.err());
        assertEquals(before, Files2.snapshot(elsewhere));
    }

    @Test
    void a_cache_shared_on_purpose_is_used_by_both_clones_through_git_config() throws Exception {
        Path shared = tmp.resolve("shared-cache");
        git(repo, "config", "mver.cacheDir", shared.toString()).ok();
        String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), 100_000, 7));
        cli.run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        assertTrue(Files.isRegularFile(shared.resolve("objects/" + sha.substring(0, 2) + "/" + sha.substring(2))));
        assertFalse(Files.exists(Files2.cacheObject(repo, sha)));

        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", repo.toString(), clone.toString()).ok();
        git(clone, "config", "mver.cacheDir", shared.toString()).ok();
        new Cli(clone).run("checkout").ok();
        assertEquals(sha, Files2.sha256(clone.resolve("model.bin")));
    }
}
