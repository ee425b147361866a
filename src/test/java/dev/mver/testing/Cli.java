package dev.mver.testing;

import dev.mver.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs mver command lines in-process against a folder, capturing stdout, stderr and the exit code. */
public final class Cli {
    private final Path cwd;
    private final Clock clock;
    private final Map<String, String> env;

    /** In {@link #testEnv()}. */
    public Cli(Path cwd) {
        this(cwd, Clock.systemUTC(), testEnv());
    }

    public Cli(Path cwd, Clock clock, Map<String, String> env) {
        this.cwd = cwd;
        this.clock = clock;
        this.env = env;
    }

    /**
     * This test run's environment with {@link Python3Stub} first on the PATH: what every command line runs in
     * unless a test gives its own (the tests of the environment probe give the machine's own PATH).
     */
    public static Map<String, String> testEnv() {
        return TestEnv.ENV;
    }

    private static final class TestEnv {
        static final Map<String, String> ENV = Map.copyOf(Python3Stub.first(System.getenv()));
    }

    public Cli withClock(Clock c) {
        return new Cli(cwd, c, env);
    }

    public Cli withEnv(Map<String, String> e) {
        return new Cli(cwd, clock, e);
    }

    public Cli in(Path dir) {
        return new Cli(dir, clock, env);
    }

    /**
     * This one, after {@code mver init} in its folder and {@link Repos#relaxPolicy}: the starting point of the tests
     * whose subject is not the policy.
     */
    public Cli initRelaxed() {
        run("init").ok();
        Repos.relaxPolicy(cwd);
        return this;
    }

    public record Result(int code, String out, String err) {
        public Result ok() {
            if (code != 0) {
                throw new AssertionError("expected exit 0 but got " + code + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        public Result fails(int expected) {
            if (code != expected) {
                throw new AssertionError("expected exit " + expected + " but got " + code + "\nstdout: " + out
                        + "\nstderr: " + err);
            }
            if (!err.startsWith("mver: error: ") || err.strip().lines().count() != 1) {
                throw new AssertionError("expected one error line on stderr, got:\n" + err);
            }
            return this;
        }
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(Main.context(new PrintWriter(out), new PrintWriter(err), env, clock, cwd), args);
        return new Result(code, out.toString(), err.toString());
    }
}
