package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mver writes no colour or other escape sequence when its output is not a terminal (and prints no colour at all, so
 * NO_COLOR has nothing to turn off): pipes, files and CI logs get plain text.
 */
class PlainOutputTest {
    @TempDir
    Path tmp;

    @Test
    void no_escape_sequence_reaches_a_pipe_whatever_the_command() {
        Path repo = Repos.relaxed(tmp, "repo");
        Map<String, String> env = new HashMap<>(Cli.testEnv());
        env.put("NO_COLOR", "1");
        env.put("TERM", "xterm-256color");
        Cli cli = new Cli(repo).withEnv(env);
        Files2.random(repo.resolve("model.bin"), 300_000, 1);
        for (List<String> args : List.of(List.of("add", "model.bin"), List.of("register", "churn", "--version",
                "1.0.0", "-m", "a", "--artifact", "model.bin"), List.of("list"), List.of("show", "churn"),
                List.of("log"), List.of("history"), List.of("status"), List.of("metrics", "churn"),
                List.of("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString()), List.of("stauts"))) {
            Cli.Result r = cli.run(args.toArray(String[]::new));
            assertFalse((r.out() + r.err()).contains("\u001b"), args + ": " + r.out() + r.err());
        }
    }
}
