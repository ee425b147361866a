package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * mver in the locales CI images and teammates' machines run: the C/POSIX locale (file names must still be UTF-8)
 * and a Turkish one (where gawk's tolower maps I to a dotless i), under gawk and mawk.
 */
class LocaleIT {
    @TempDir
    Path tmp;

    /** The installed launcher, as users run it, in {@code locale} (LANG and LC_ALL both). */
    static GitBinary.Result launcher(Path dir, String locale, String... args) {
        List<String> cmd = new ArrayList<>(List.of(MverProcess.launcher().toString()));
        cmd.addAll(List.of(args));
        return GitBinary.run(dir, Map.of("LC_ALL", locale, "LANG", locale, "PATH", Cli.testEnv().get("PATH")),
                Set.of("LC_CTYPE"), cmd);
    }

    @ParameterizedTest
    @ValueSource(strings = {"C", "POSIX"})
    void non_ascii_paths_work_under_a_locale_that_is_not_utf8(String locale) throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        String sha = Files2.sha256(Files2.random(repo.resolve("tok/ünï.txt"), 5000, 1));
        Files2.random(repo.resolve("modèle.bin"), 5000, 2);
        launcher(repo, locale, "add", "tok", "modèle.bin").ok();
        launcher(repo, locale, "register", "m", "--version", "1.0.0", "-m", "ünïcode", "--artifact", "tok",
                "--artifact", "modèle.bin").ok();
        assertTrue(launcher(repo, locale, "status").ok().out().startsWith("clean"));
        Path out = tmp.resolve("out");
        launcher(repo, locale, "checkout", "m@v1.0.0", "--to", out.toString()).ok();
        assertEquals(sha, Files2.sha256(out.resolve("tok/ünï.txt")));
        Path release = tmp.resolve("release");
        launcher(repo, locale, "release", "--tag", "m@v1.0.0", "--out", release.toString()).ok();
        assertTrue(Files.isRegularFile(release.resolve("artifacts/tok/ünï.txt")));
        assertEquals(0, launcher(repo, locale, "verify", "--all").code());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gawk", "mawk"})
    void the_hook_catches_model_files_in_a_turkish_locale_without_warnings(String awk) throws Exception {
        Path awkPath = Path.of("/usr/bin", awk);
        Assumptions.assumeTrue(Files.isExecutable(awkPath), awk + " is not installed");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("awk"), awkPath);
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo);
        MverProcess.run(repo, "init").ok();
        git(repo, "commit", "-qm", "init").ok();
        MverProcess.run(repo, "hook", "install").ok();
        Map<String, String> env = Map.of("LC_ALL", "tr_TR.UTF-8", "LANG", "tr_TR.UTF-8",
                "PATH", bin + ":" + Cli.testEnv().get("PATH"));
        for (String name : List.of("X.BIN", "m.PICKLE", "m.TFLITE", "Model.PKL")) {
            Files2.random(repo.resolve(name), 100, name.length());
            git(repo, "add", name).ok();
            GitBinary.Result blocked = GitBinary.run(repo, env, List.of("git", "commit", "-qm", "add " + name));
            assertTrue(blocked.code() != 0, name + " was committed under " + awk);
            assertTrue(blocked.err().contains("model file staged directly into git"), blocked.err());
            assertFalse(blocked.err().contains("escape sequence"), blocked.err());
            git(repo, "rm", "-q", "--cached", name).ok();
        }
        // An ordinary file still commits, silently.
        Files2.write(repo.resolve("NOTES.TXT"), "notes\n");
        git(repo, "add", "NOTES.TXT").ok();
        GitBinary.Result plain = GitBinary.run(repo, env, List.of("git", "commit", "-qm", "notes"));
        assertEquals(0, plain.code(), plain.err());
        assertEquals("", plain.err());
    }

    @Test
    void a_file_name_the_locale_cannot_hold_is_a_usage_error_with_the_fix_not_a_bug() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Files2.random(repo.resolve("d/ünï.bin"), 100, 1);
        // java -jar without the launcher, in the C locale: the JVM cannot name the file.
        GitBinary.Result r = MverProcess.run(repo, List.of(), Map.of("LC_ALL", "C", "LANG", "C"), Set.of("LC_CTYPE"),
                "add", "d");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("run mver with a UTF-8 locale (LC_ALL=C.UTF-8)"), r.err());
    }
}
