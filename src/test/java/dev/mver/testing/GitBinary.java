package dev.mver.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs the real {@code git} (or any program) in a folder, isolated from the machine's git config. */
public final class GitBinary {
    private GitBinary() {
    }

    public record Result(int code, String out, String err) {
        public Result ok() {
            if (code != 0) {
                throw new AssertionError("exit " + code + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    public static Result git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("git");
        cmd.addAll(List.of(args));
        return run(dir, Map.of(), cmd);
    }

    public static Result run(Path dir, Map<String, String> extraEnv, List<String> cmd) {
        return run(dir, extraEnv, Set.of(), cmd);
    }

    /**
     * As {@link #run(Path, Map, List)}, with the variables in {@code unset} removed after the isolating defaults and
     * {@code extraEnv} are applied: for tests of what a program does when git's variables are absent.
     */
    public static Result run(Path dir, Map<String, String> extraEnv, Set<String> unset, List<String> cmd) {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_AUTHOR_NAME", "Test User");
        env.put("GIT_AUTHOR_EMAIL", "test@example.com");
        env.put("GIT_COMMITTER_NAME", "Test User");
        env.put("GIT_COMMITTER_EMAIL", "test@example.com");
        env.putAll(extraEnv);
        env.keySet().removeAll(unset);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            Process p = pb.start();
            var errFuture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return e.toString();
                }
            });
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            return new Result(code, out, errFuture.join());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
