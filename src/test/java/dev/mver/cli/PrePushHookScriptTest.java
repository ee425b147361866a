package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped pre-push hook, run as git runs it (the pushed refs on standard input), with a stand-in for mver that
 * records how it was called: the event check gets the models of the pushed registry tags, and nothing a ref name
 * may hold reaches the shell.
 */
class PrePushHookScriptTest {
    @TempDir
    Path dir;

    @Test
    void the_event_check_gets_the_models_of_the_pushed_registry_tags_and_no_shell_text() throws Exception {
        Path calls = dir.resolve("calls");
        Path fake = Files2.write(dir.resolve("fake-mver"), "#!/bin/sh\necho \"$*\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path marker = dir.resolve("pwned");
        String zero = "0".repeat(40);
        String sha = "1".repeat(40);
        String input = String.join("\n",
                "refs/tags/churn#production#3 " + sha + " refs/tags/churn#production#3 " + zero,
                "refs/tags/team/fraud=x@v1.0.0 " + sha + " refs/tags/team/fraud=x@v1.0.0 " + zero,
                "refs/tags/churn@v1.2.0 " + sha + " refs/tags/churn@v1.2.0 " + zero,
                "refs/tags/$(touch${IFS}" + marker + ")@v1 " + sha + " refs/tags/$(touch${IFS}" + marker + ")@v1 " + zero,
                "refs/tags/old@v0.1.0 " + zero + " refs/tags/old@v0.1.0 " + sha,
                "refs/heads/main " + sha + " refs/heads/main " + zero) + "\n";
        GitBinary.Result r = GitBinary.run(dir, Map.of("MVER", "'" + fake + "'"),
                List.of("sh", "-c", "printf '%s' \"$0\" | sh " + Path.of("hooks/pre-push").toAbsolutePath()
                        + " origin https://example.com/repo.git", input));
        assertEquals(0, r.code(), r.err());
        assertEquals("push --check-events --git-remote origin churn team/fraud=x", Files.readString(calls).strip());
        assertFalse(Files.exists(marker), "a ref name's shell text was run");
    }
}
