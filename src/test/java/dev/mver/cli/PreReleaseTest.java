package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pre-releases and build metadata the way semver, npm and cargo read them. */
class PreReleaseTest {
    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("m.pkl"), 1000, 1);
        cli.run("register", "m", "--version", "1.4.0", "-m", "release", "--artifact", "m.pkl").ok();
        Files2.random(repo.resolve("m.pkl"), 1000, 2);
        cli.run("register", "m", "--version", "2.0.0-rc.1", "-m", "new architecture, candidate",
                "--architecture", "transformer").ok();
    }

    @Test
    void a_release_candidate_is_released_by_the_bump_the_release_needs_with_the_same_bytes() {
        assertTrue(cli.run("bump", "m", "--suggest").ok().out().contains("-> v2.0.0"),
                cli.run("bump", "m", "--suggest").out());
        cli.run("register", "m", "--bump", "minor", "-m", "released as it was tested").ok();
        assertTrue(cli.run("list").ok().out().contains("v2.0.0"));
    }

    @Test
    void a_major_bump_from_the_candidate_is_the_release_too() {
        Files2.random(repo.resolve("m.pkl"), 1000, 3);
        cli.run("register", "m", "--bump", "major", "-m", "retrained candidate, released").ok();
        assertTrue(Files2.read(repo.resolve(".mver/models/m.json")).contains("\"version\": \"2.0.0\""));
    }

    @Test
    void latest_is_the_latest_release_unless_asked_or_only_pre_releases_exist() {
        assertTrue(cli.run("list").ok().out().contains("v1.4.0"), cli.run("list").out());
        assertTrue(cli.run("list", "--include-prerelease").ok().out().contains("v2.0.0-rc.1"));
        assertTrue(cli.run("show", "m", "--json").ok().out().contains("\"version\": \"1.4.0\""));
        assertTrue(cli.run("show", "m", "--include-prerelease", "--json").ok().out()
                .contains("\"version\": \"2.0.0-rc.1\""));
        Files2.random(repo.resolve("n.pkl"), 1000, 4);
        cli.run("register", "n", "--version", "0.1.0-alpha.1", "-m", "first try", "--artifact", "n.pkl").ok();
        assertTrue(cli.run("show", "n", "--json").ok().out().contains("\"version\": \"0.1.0-alpha.1\""));
    }

    @Test
    void build_metadata_finds_its_version_and_never_makes_a_new_one() {
        Files2.random(repo.resolve("b.pkl"), 1000, 5);
        cli.run("register", "b", "--version", "1.10.1-rc.1+build.5", "-m", "built", "--artifact", "b.pkl").ok();
        assertTrue(cli.run("show", "b@v1.10.1-rc.1", "--json").ok().out().contains("1.10.1-rc.1+build.5"));
        Files2.random(repo.resolve("b.pkl"), 1000, 6);
        Cli.Result refused = cli.run("register", "b", "--version", "1.10.1-rc.1+build.6", "-m", "rebuilt").fails(5);
        assertTrue(refused.err().contains("other build metadata, which never makes a new version"), refused.err());
        assertEquals("", git(repo, "tag", "-l", "b@v1.10.1-rc.1+build.6").ok().out());
    }
}
