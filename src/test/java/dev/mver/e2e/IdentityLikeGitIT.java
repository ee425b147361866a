package dev.mver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar finds the identity git finds: the global config in {@code $HOME} (not in the JVM's
 * {@code user.home}), or the file {@code GIT_CONFIG_GLOBAL} names instead.
 */
class IdentityLikeGitIT {
    /** Everything that would decide the identity before the global config does. */
    static final Set<String> UNSET = Set.of("GIT_CONFIG_GLOBAL", "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL",
            "GIT_AUTHOR_DATE", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL");

    @TempDir
    Path tmp;

    Path repo;
    Path elsewhere;
    /** The environment of every process this test starts: the test run's, plus {@code env}, less {@code unset}. */
    Map<String, String> env = new HashMap<>();
    Set<String> unset = new HashSet<>(UNSET);

    static Path gitconfig(Path file, String name, String email) {
        return Files2.write(file, "[user]\n\tname = " + name + "\n\temail = " + email + "\n");
    }

    GitBinary.Result mver(String... args) {
        // The JVM is told its home is elsewhere, as a launcher or a container image might.
        return MverProcess.run(repo, List.of("-Duser.home=" + elsewhere), env, unset, args);
    }

    GitBinary.Result git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return GitBinary.run(repo, env, unset, cmd);
    }

    /** "Name <email>" from an ident line such as git var GIT_COMMITTER_IDENT prints. */
    static String who(String ident) {
        return ident.substring(0, ident.indexOf('>') + 1);
    }

    String committerGitWouldName() {
        return who(git("var", "GIT_COMMITTER_IDENT").ok().out());
    }

    String tagger(String tagPattern) {
        return git("for-each-ref", "--format=%(taggername) %(taggeremail)", "refs/tags/" + tagPattern).ok().out()
                .strip();
    }

    @Test
    void the_tagger_is_the_user_in_home_and_the_file_git_config_global_names_wins() {
        Path home = tmp.resolve("home");
        gitconfig(home.resolve(".gitconfig"), "Home User", "home@example.com");
        elsewhere = tmp.resolve("elsewhere");
        gitconfig(elsewhere.resolve(".gitconfig"), "Elsewhere User", "elsewhere@example.com");
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        repo = tmp.resolve("repo");
        GitBinary.run(tmp, env, unset, List.of("git", "init", "-q", repo.toString())).ok();
        mver("init").ok();
        Repos.relaxPolicy(repo);
        Files2.random(repo.resolve("model.bin"), 10_000, 1);

        mver("register", "m", "--version", "1.0.0", "-m", "first", "--artifact", "model.bin").ok();
        assertEquals("Home User <home@example.com>", committerGitWouldName());
        assertEquals("Home User <home@example.com>", tagger("m@v1.0.0"));
        assertEquals("Home User <home@example.com>/Home User <home@example.com>",
                git("log", "-1", "--format=%an <%ae>/%cn <%ce>", "m@v1.0.0").ok().out().strip());

        env.put("GIT_CONFIG_GLOBAL", gitconfig(tmp.resolve("other.gitconfig"), "Other User", "other@example.com")
                .toString());
        unset.remove("GIT_CONFIG_GLOBAL");
        Files2.random(repo.resolve("model.bin"), 10_000, 2);
        mver("register", "m", "--version", "2.0.0", "-m", "second").ok();
        mver("promote", "m@v2.0.0", "production", "-m", "ship it").ok();
        assertEquals("Other User <other@example.com>", committerGitWouldName());
        assertEquals("Other User <other@example.com>", tagger("m@v2.0.0"));
        assertEquals("Other User <other@example.com>", tagger("m#production#*"));
    }
}
