package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.UserShell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installing mver in one command, a launcher that runs from anywhere, and hooks that say how to fix a lost mver. */
class InstallIT {
    @TempDir
    Path tmp;

    Map<String, String> env(Path bin) {
        return UserShell.env(tmp, bin);
    }

    GitBinary.Result sh(Path dir, Map<String, String> env, String script) {
        return GitBinary.run(dir, env, List.of("sh", "-c", script));
    }

    @Test
    void install_puts_a_launcher_that_runs_linked_or_copied_the_jar_and_completion_under_the_prefix() throws Exception {
        Path prefix = tmp.resolve("prefix");
        GitBinary.Result r = sh(tmp, env(null), "'" + MverProcess.launcher() + "' install --prefix '" + prefix + "'");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("add " + prefix.resolve("bin") + " to your PATH"), r.out());
        assertTrue(Files.isRegularFile(prefix.resolve("lib/mver/mver.jar")));
        assertTrue(Files.isRegularFile(prefix.resolve("share/bash-completion/completions/mver")));
        GitBinary.Result again = sh(tmp, env(null), "'" + prefix.resolve("bin/mver") + "' install --prefix '" + prefix
                + "'");
        assertEquals(0, again.code(), again.err());
        assertTrue(again.out().contains("class-data archive") == r.out().contains("class-data archive"),
                "installing again from the installed mver keeps what the first install had: " + again.out());
        Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
        Files.copy(prefix.resolve("bin/mver"), elsewhere.resolve("mver-copy"));
        Files.createSymbolicLink(elsewhere.resolve("mver-link"), prefix.resolve("bin/mver"));
        Files.copy(MverProcess.launcher(), elsewhere.resolve("build-launcher-copy"));
        for (Path launcher : List.of(prefix.resolve("bin/mver"), elsewhere.resolve("mver-copy"),
                elsewhere.resolve("mver-link"), elsewhere.resolve("build-launcher-copy"))) {
            GitBinary.Result v = sh(tmp, env(null), "sh '" + launcher + "' --version");
            assertEquals(0, v.code(), launcher + ": " + v.err());
            assertTrue(v.out().startsWith("mver "), v.out());
        }
        GitBinary.Result missing = sh(tmp, Map.of("PATH", Cli.testEnv().get("PATH"), "MVER_JAR",
                tmp.resolve("nowhere.jar").toString()), "cp '" + prefix.resolve("bin/mver") + "' ./lone && rm -rf '"
                + prefix.resolve("lib") + "' && sh ./lone --version");
        assertEquals(127, missing.code());
        assertTrue(missing.err().startsWith("mver: cannot find mver.jar") && missing.err().contains("mver install"),
                missing.err());
    }

    @Test
    void hooks_call_the_installed_mver_and_say_how_to_fix_a_missing_one() throws Exception {
        Path prefix = tmp.resolve("prefix");
        assertEquals(0, sh(tmp, env(null), "'" + MverProcess.launcher() + "' install --prefix '" + prefix + "'").code());
        Map<String, String> env = env(prefix.resolve("bin"));
        Path repo = tmp.resolve("repo");
        git(tmp, "init", "-q", repo.toString()).ok();
        assertEquals(0, sh(repo, env, "mver init >/dev/null && mver hook install >/dev/null").code());
        String line = Files.readString(repo.resolve(".git/hooks/pre-commit")).lines()
                .filter(l -> l.startsWith("MVER_DEFAULT=")).findFirst().orElseThrow();
        assertTrue(line.contains(prefix.resolve("bin/mver").toString()), "the installed launcher, which survives mvn "
                + "clean: " + line);

        Files2.random(repo.resolve("model.pkl"), 1000, 1);
        env.put("MVER", "'" + tmp.resolve("gone/mver") + "'");
        GitBinary.Result commit = sh(repo, env, "git add -f model.pkl && git commit -qm model");
        assertNotEquals(0, commit.code());
        String err = commit.err().strip();
        assertTrue(err.startsWith("mver hook: cannot run " + tmp.resolve("gone/mver")) && err.contains("mver install")
                && err.contains("--no-verify") && err.lines().count() == 1, err);
    }
}
