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

    /** A git repository {@code tmp/name} set up for mver with the relaxed policy: most tests' starting point. */
    public static Path relaxed(Path tmp, String name) {
        Path repo = tmp.resolve(name);
        GitBinary.git(tmp, "init", "-q", "-b", "main", repo.toString()).ok();
        new Cli(repo).initRelaxed();
        return repo;
    }

    /**
     * A bare git remote at {@code tmp/origin.git} and a repository {@code tmp/name} set up for mver with it as
     * {@code origin}: the starting point of every team scenario.
     */
    public static Path withOrigin(Path tmp, String name, boolean relaxed) {
        GitBinary.git(tmp, "init", "-q", "--bare", tmp.resolve("origin.git").toString()).ok();
        Path repo = tmp.resolve(name);
        GitBinary.git(tmp, "init", "-q", repo.toString()).ok();
        GitBinary.git(repo, "remote", "add", "origin", tmp.resolve("origin.git").toString()).ok();
        new Cli(repo).run("init").ok();
        if (relaxed) {
            relaxPolicy(repo);
        }
        return repo;
    }
}
