package dev.mver.testing;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** The environment of a user's shell in an end-to-end test: its own HOME and git config, an identity for git. */
public final class UserShell {
    private UserShell() {
    }

    /** With {@code bin} (when not null) first on the test run's PATH; a mutable map, for tests to add to. */
    public static Map<String, String> env(Path home, Path bin) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", (bin == null ? "" : bin + ":") + Cli.testEnv().get("PATH"));
        env.put("HOME", home.toString());
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Ada");
        env.put("GIT_AUTHOR_EMAIL", "ada@example.com");
        env.put("GIT_COMMITTER_NAME", "Ada");
        env.put("GIT_COMMITTER_EMAIL", "ada@example.com");
        return env;
    }
}
