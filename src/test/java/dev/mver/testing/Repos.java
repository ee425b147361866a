package dev.mver.testing;

import java.nio.file.Path;

/** Set-up shared by tests whose subject is not the policy. */
public final class Repos {
    private Repos() {
    }

    /**
     * Turns off the required-fields rule, so tests about other behaviour can register with just an artifact.
     * The policy itself is tested with its defaults.
     */
    public static void relaxPolicy(Path root) {
        Files2.write(root.resolve(".mver/config.json"), """
                {
                  "schema": "mver/config/v1",
                  "policy": {"rules": {"missing-fields": false}}
                }
                """);
    }
}
