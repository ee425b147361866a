package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gc keeps what git keeps: any ref, any stash entry, any work tree's HEAD or index, the young and the unpushed. */
class GcTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String[] NOW = {"gc", "--grace", "0", "--include-unpushed", "--json"};

    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.withOrigin(tmp, "repo", true);
        cli = new Cli(repo);
        git(repo, "checkout", "-q", "-b", "main").ok();
        Files2.random(repo.resolve("model.bin"), 5000, 0);
        cli.run("register", "m", "--version", "1.0.0", "-m", "base", "--artifact", "model.bin").ok();
    }


    /** Writes new bytes for model.bin, adds them and returns their hash. */
    String newBytes(Path workTree, int seed) {
        String sha = Files2.sha256(Files2.random(workTree.resolve("model.bin"), 5000, seed));
        cli.in(workTree).run("add", "model.bin").ok();
        return sha;
    }

    JsonNode gc(String... args) throws Exception {
        return JSON.readTree(cli.run(args).ok().out());
    }

    @Test
    void gc_keeps_an_object_only_another_branch_names_and_that_branch_checks_out_after_gc() throws Exception {
        git(repo, "checkout", "-q", "-b", "experiment").ok();
        String experiment = newBytes(repo, 1);
        git(repo, "commit", "-qm", "try new bytes").ok();
        git(repo, "checkout", "-q", "main").ok();
        cli.run("checkout").ok();

        assertEquals(0, gc(NOW).get("removed").asInt());
        assertTrue(Files.exists(Files2.cacheObject(repo, experiment)));
        git(repo, "checkout", "-q", "experiment").ok();
        cli.run("checkout").ok();
        assertEquals(experiment, Files2.sha256(repo.resolve("model.bin")));
    }

    @Test
    void gc_keeps_what_remote_branches_tags_the_stash_and_linked_worktrees_name_and_removes_the_rest() throws Exception {
        // Only a remote-tracking branch names it.
        git(repo, "checkout", "-q", "-b", "pushed").ok();
        String remoteOnly = newBytes(repo, 2);
        git(repo, "commit", "-qm", "pushed").ok();
        git(repo, "push", "-q", "origin", "pushed").ok();
        git(repo, "checkout", "-q", "main").ok();
        git(repo, "branch", "-q", "-D", "pushed").ok();
        // Only a tag names it.
        git(repo, "checkout", "-q", "-b", "tagged").ok();
        String tagged = newBytes(repo, 3);
        git(repo, "commit", "-qm", "tagged").ok();
        git(repo, "tag", "keep-me").ok();
        git(repo, "checkout", "-q", "main").ok();
        git(repo, "branch", "-q", "-D", "tagged").ok();
        // An older stash entry names it (stash@{1}), a newer one another object.
        cli.run("checkout").ok();
        String stashedFirst = newBytes(repo, 4);
        git(repo, "stash", "-q").ok();
        cli.run("checkout").ok();
        String stashedSecond = newBytes(repo, 5);
        git(repo, "stash", "-q").ok();
        cli.run("checkout").ok();
        // A linked work tree on a detached HEAD names one in a commit, and has another staged only.
        Path wt = tmp.resolve("wt");
        git(repo, "worktree", "add", "-q", "--detach", wt.toString()).ok();
        String detached = newBytes(wt, 6);
        git(wt, "commit", "-qm", "on a detached HEAD").ok();
        String staged = newBytes(wt, 7);
        // Nothing names this one any more.
        String orphan = newBytes(repo, 8);
        git(repo, "reset", "-q", "--", "model.bin.mver").ok();
        git(repo, "checkout", "-q", "--", "model.bin.mver").ok();
        cli.run("checkout", "--force").ok();

        JsonNode r = gc(NOW);
        assertEquals(1, r.get("removed").asInt(), r.toString());
        assertFalse(Files.exists(Files2.cacheObject(repo, orphan)));
        for (String kept : new String[] {remoteOnly, tagged, stashedFirst, stashedSecond, detached, staged}) {
            assertTrue(Files.exists(Files2.cacheObject(repo, kept)), kept + " is still needed");
        }
        git(repo, "stash", "pop", "-q", "stash@{1}").ok();
        cli.run("checkout").ok();
        assertEquals(stashedFirst, Files2.sha256(repo.resolve("model.bin")));
        assertEquals(0, cli.in(wt).run("checkout").code());
        assertEquals(staged, Files2.sha256(wt.resolve("model.bin")));
    }

    @Test
    void gc_keeps_young_and_unpushed_objects_until_told_otherwise_and_dry_run_lists_what_would_go() throws Exception {
        cli.run("remote", "add", "shared", "../store", "--default").ok();
        String pushedThenReplaced = newBytes(repo, 9);
        cli.run("push").ok();
        String neverPushed = newBytes(repo, 10);
        newBytes(repo, 11);

        JsonNode young = gc("gc", "--json");
        assertEquals(0, young.get("removed").asInt());
        assertEquals(2, young.get("kept_recent").asInt(), young.toString());

        Cli.Result dry = cli.run("gc", "--dry-run", "--grace", "0").ok();
        assertTrue(dry.out().contains("would remove " + pushedThenReplaced), dry.out());
        assertFalse(dry.out().contains(neverPushed), dry.out());
        assertTrue(dry.out().contains("1 not on the default remote (--include-unpushed removes them)"), dry.out());
        assertTrue(Files.exists(Files2.cacheObject(repo, pushedThenReplaced)), "a dry run removes nothing");

        JsonNode r = gc("gc", "--grace", "0", "--json");
        assertEquals(1, r.get("removed").asInt(), "only the object the remote keeps: " + r);
        assertEquals(1, r.get("kept_unpushed").asInt());
        assertTrue(Files.exists(Files2.cacheObject(repo, neverPushed)));
        assertEquals(1, gc("gc", "--grace", "0", "--include-unpushed", "--json").get("removed").asInt());
        assertFalse(Files.exists(Files2.cacheObject(repo, neverPushed)));
    }

    @Test
    void gc_refuses_a_cache_shared_with_other_clones_unless_forced() throws Exception {
        git(repo, "config", "mver.cacheDir", tmp.resolve("shared-cache").toString()).ok();
        Files2.random(repo.resolve("model.bin"), 5000, 12);
        cli.run("add", "model.bin").ok();
        Cli.Result r = cli.run("gc").fails(2);
        assertTrue(r.err().contains("shared") && r.err().contains("--force"), r.err());
        cli.run("gc", "--force").ok();
        cli.run("gc", "--grace", "soon").fails(2);
    }
}
