package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What was registered is read from the branches' history, which mver keeps as it last walked it: a version whose tag
 * was deleted is still known after the history moved on, and a branch that is gone is walked again, so every answer
 * is the one a fresh walk gives.
 */
class BranchHistoryTest {
    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
    }

    void register(String version, long seed) {
        Files2.random(dir.resolve("m.bin"), 1000, seed);
        cli.run("register", "churn", "--version", version, "-m", "v" + version, "--artifact", "m.bin").ok();
    }

    /** verify --json as it is with the kept history, and as a fresh walk gives it. */
    void assertSameAsFresh() throws Exception {
        String kept = cli.run("verify", "--json").out();
        Path file = dir.resolve(".git/mver/registrations");
        Files.deleteIfExists(file);
        assertEquals(cli.run("verify", "--json").out(), kept);
    }

    @Test
    void a_deleted_tag_is_still_known_after_the_history_moved_on() throws Exception {
        register("1.0.0", 1);
        register("1.1.0", 2);
        cli.run("verify").ok();
        assertTrue(Files.exists(dir.resolve(".git/mver/registrations")), "the walk kept what it read");
        git(dir, "tag", "-d", "churn@v1.1.0").ok();
        register("1.2.0", 3); // the branch moves on: only the new commit is walked
        Cli.Result again = cli.run("register", "churn", "--version", "1.1.0", "-m", "again", "--artifact", "m.bin");
        again.fails(5);
        assertTrue(again.err().contains("churn@v1.1.0 was registered before"), again.err());
        assertSameAsFresh();
    }

    @Test
    void a_deleted_branch_is_not_remembered_as_history() throws Exception {
        register("1.0.0", 1);
        git(dir, "checkout", "-q", "-b", "experiment").ok();
        register("2.0.0", 2);
        cli.run("verify").ok(); // kept: main and experiment, with 2.0.0's registration
        git(dir, "checkout", "-q", "-").ok();
        git(dir, "branch", "-q", "-D", "experiment").ok();
        git(dir, "tag", "-d", "churn@v2.0.0").ok();
        // Nothing reaches 2.0.0's registration any more, as in any other clone: it is free again.
        register("2.0.0", 3);
        assertSameAsFresh();
    }

    @Test
    void another_tools_stage_tag_on_a_tree_is_no_commit_to_walk() throws Exception {
        register("1.0.0", 1);
        git(dir, "-c", "user.name=Odd", "-c", "user.email=odd@example.com", "tag", "-a", "-m", "odd",
                "churn#production#7", "HEAD^{tree}").ok();
        cli.run("history", "churn").ok(); // the events know where the tag leads, not what it is
        Cli.Result verify = cli.run("verify");
        assertTrue(!verify.err().contains("internal error"), verify.err());
        register("1.1.0", 2);
    }

}
