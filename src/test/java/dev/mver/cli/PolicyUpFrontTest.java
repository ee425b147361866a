package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** add and register apply check's rules first, so no pointer and no immutable version breaks the policy. */
class PolicyUpFrontTest {
    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("models/model_final.pkl"), 5000, 1);
    }

    @Test
    void add_refuses_what_check_would_reject_and_writes_nothing_unless_forced() {
        String before = git(repo, "status", "--porcelain", "--untracked-files=all").out();
        Cli.Result r = cli.run("add", "models/model_final.pkl").fails(3);
        assertTrue(r.err().contains("informal name 'model_final.pkl'") && r.err().contains("--force"), r.err());
        assertFalse(Files.exists(repo.resolve("models/model_final.pkl.mver")));
        assertEquals(before, git(repo, "status", "--porcelain", "--untracked-files=all").out());
        cli.run("add", "models/model_final.pkl", "--force").ok();
        assertTrue(Files.exists(repo.resolve("models/model_final.pkl.mver")));
    }

    @Test
    void register_refuses_a_version_check_would_reject_so_none_is_ever_tagged() {
        Cli.Result r = cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact",
                "models/model_final.pkl").fails(3);
        assertTrue(r.err().contains("informal name"), r.err());
        assertEquals("", git(repo, "tag", "-l").out().strip());
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "models/model_final.pkl",
                "--force").ok();
    }

    @Test
    void a_rule_switched_off_in_the_committed_policy_lets_both_through() {
        Files2.write(repo.resolve(".mver/config.json"), """
                {"schema": "mver/config/v1", "policy": {"rules": {"missing-fields": false, "informal-name": false}}}
                """);
        git(repo, "add", ".mver/config.json").ok();
        git(repo, "commit", "-qm", "no informal-name rule").ok();
        cli.run("add", "models/model_final.pkl").ok();
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "models/model_final.pkl").ok();
        cli.run("check").ok();
    }
}
