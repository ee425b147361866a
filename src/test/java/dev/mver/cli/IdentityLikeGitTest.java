package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mver's commits and tags name the people git would name in the same environment: the registration commit's
 * author and committer are those of {@code git commit}, and every tag's tagger is the one {@code git tag -a}
 * writes (the committer), dates included.
 */
class IdentityLikeGitTest {
    static final Map<String, String> PEOPLE = Map.of(
            "GIT_AUTHOR_NAME", "Ada Author", "GIT_AUTHOR_EMAIL", "ada@example.com",
            "GIT_COMMITTER_NAME", "Cy Committer", "GIT_COMMITTER_EMAIL", "cy@example.com");
    static final Map<String, String> DATES = Map.of(
            "GIT_AUTHOR_DATE", "@1700000000 +0100", "GIT_COMMITTER_DATE", "@1700000500 -0230");
    static final Set<String> GIT_PEOPLE = Set.of("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
            "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        Files2.random(repo.resolve("model.bin"), 10_000, 1);
        cli = new Cli(repo).withClock(CLOCK);
    }

    /** This test run's environment with {@code set} added and {@code unset} removed. */
    static Map<String, String> env(Map<String, String> set, Set<String> unset) {
        Map<String, String> env = new HashMap<>(Cli.testEnv());
        env.putAll(set);
        env.keySet().removeAll(unset);
        return env;
    }

    static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
        Map<String, String> m = new HashMap<>(a);
        m.putAll(b);
        return m;
    }

    /** The header lines of a git object ({@code author}, {@code committer}, {@code tagger}, ...) by name. */
    Map<String, String> headers(String object) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line : git(repo, "cat-file", "-p", object).ok().out().split("\n")) {
            if (line.isEmpty()) {
                break;
            }
            int space = line.indexOf(' ');
            headers.put(line.substring(0, space), line.substring(space + 1));
        }
        return headers;
    }

    /** What git itself writes in the environment {@code set} and {@code unset} make: a commit and a tag. */
    Map<String, String> whatGitWrites(Map<String, String> set, Set<String> unset) {
        List<String> commitTree = List.of("git", "commit-tree", "HEAD^{tree}", "-p", "HEAD", "-m", "probe");
        String commit = GitBinary.run(repo, set, unset, commitTree).ok().out().strip();
        GitBinary.run(repo, set, unset, List.of("git", "tag", "-a", "probe", "-m", "probe", commit)).ok();
        Map<String, String> written = new HashMap<>(headers(commit));
        written.put("tagger", headers("probe").get("tagger"));
        git(repo, "tag", "-d", "probe").ok();
        return written;
    }

    String eventTag() {
        return git(repo, "for-each-ref", "--format=%(refname:short)", "refs/tags/m#*").ok().out().strip();
    }

    @Test
    void registration_commit_and_tag_carry_git_authors_committers_and_taggers_dates_included() {
        Map<String, String> vars = merged(PEOPLE, DATES);
        cli.withEnv(env(vars, Set.of())).run("register", "m", "--version", "1.0.0", "-m", "first",
                "--artifact", "model.bin").ok();
        Map<String, String> commit = headers("m@v1.0.0^{commit}");
        String tagger = headers("m@v1.0.0").get("tagger");
        assertEquals("Ada Author <ada@example.com> 1700000000 +0100", commit.get("author"));
        assertEquals("Cy Committer <cy@example.com> 1700000500 -0230", commit.get("committer"));
        assertEquals(commit.get("committer"), tagger, "the tagger is the committer");

        Map<String, String> git = whatGitWrites(vars, Set.of());
        assertEquals(git.get("author"), commit.get("author"));
        assertEquals(git.get("committer"), commit.get("committer"));
        assertEquals(git.get("tagger"), tagger);
    }

    @Test
    void names_from_the_environment_go_to_author_committer_and_tagger_at_the_clocks_time() {
        cli.withEnv(env(PEOPLE, Set.of("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE"))).run("register", "m", "--version",
                "1.0.0", "-m", "first", "--artifact", "model.bin").ok();
        assertEquals("Ada Author/Cy Committer",
                git(repo, "log", "-1", "--format=%an/%cn", "m@v1.0.0").ok().out().strip());
        String tagger = headers("m@v1.0.0").get("tagger");
        assertEquals("Cy Committer <cy@example.com> " + CLOCK.instant().getEpochSecond() + " +0000", tagger);
        String gitVar = GitBinary.run(repo, PEOPLE, Set.of(), List.of("git", "var", "GIT_COMMITTER_IDENT")).ok().out();
        assertTrue(tagger.startsWith(gitVar.substring(0, gitVar.indexOf('>') + 1)), gitVar + " vs " + tagger);
    }

    @Test
    void a_promotion_tag_carries_the_committer_git_tag_would() {
        cli.run("register", "m", "--version", "1.0.0", "-m", "first", "--artifact", "model.bin").ok();
        Map<String, String> vars = merged(PEOPLE, DATES);
        // Dated in 2023, long before the registration: --force past the clock check.
        cli.withEnv(env(vars, Set.of())).run("promote", "m@v1.0.0", "production", "-m", "ship it", "--force").ok();
        String tagger = headers(eventTag()).get("tagger");
        assertEquals("Cy Committer <cy@example.com> 1700000500 -0230", tagger);
        assertEquals(whatGitWrites(vars, Set.of()).get("tagger"), tagger);
    }

    @Test
    void without_git_variables_the_repository_config_decides_as_it_does_for_git() {
        git(repo, "config", "user.name", "Repo User").ok();
        git(repo, "config", "user.email", "repo@example.com").ok();
        git(repo, "config", "committer.name", "Release Bot").ok();
        git(repo, "config", "committer.email", "bot@example.com").ok();
        Map<String, String> dates = Map.of("GIT_COMMITTER_DATE", "2023-11-14T22:13:20+01:00",
                "GIT_AUTHOR_DATE", "Tue, 14 Nov 2023 22:13:20 +0100");
        Set<String> unset = Set.of("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME",
                "GIT_COMMITTER_EMAIL", "EMAIL");
        cli.withEnv(env(dates, unset)).run("register", "m", "--version", "1.0.0", "-m", "first",
                "--artifact", "model.bin").ok();
        Map<String, String> commit = headers("m@v1.0.0^{commit}");
        assertEquals("Repo User <repo@example.com> 1699996400 +0100", commit.get("author"));
        assertEquals("Release Bot <bot@example.com> 1699996400 +0100", commit.get("committer"));
        Map<String, String> git = whatGitWrites(dates, unset);
        assertEquals(git.get("author"), commit.get("author"));
        assertEquals(git.get("committer"), commit.get("committer"));
        assertEquals(git.get("tagger"), headers("m@v1.0.0").get("tagger"));
    }

    @Test
    void a_date_git_would_not_read_is_a_usage_error_naming_the_variable_and_nothing_is_written() {
        String refs = git(repo, "show-ref").out();
        Cli.Result r = cli.withEnv(env(Map.of("GIT_COMMITTER_DATE", "the day after tomorrow"), Set.of()))
                .run("register", "m", "--version", "1.0.0", "-m", "first", "--artifact", "model.bin").fails(2);
        assertTrue(r.err().contains("GIT_COMMITTER_DATE") && r.err().contains("the day after tomorrow"), r.err());
        assertEquals(refs, git(repo, "show-ref").out());
    }
}
