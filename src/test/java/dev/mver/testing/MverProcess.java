package dev.mver.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Runs the packaged {@code mver.jar} as a real process, as a user would. */
public final class MverProcess {
    private MverProcess() {
    }

    public static Path jar() {
        String jar = System.getProperty("mver.jar", "target/mver.jar");
        return Path.of(jar).toAbsolutePath();
    }

    public static Path launcher() {
        return Path.of(System.getProperty("mver.launcher", "target/mver")).toAbsolutePath();
    }

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java [jvmArgs] -jar mver.jar args...} in {@code dir}. */
    public static GitBinary.Result run(Path dir, List<String> jvmArgs, String... args) {
        return run(dir, jvmArgs, Map.of(), Set.of(), args);
    }

    /** As above, in the environment that {@link GitBinary#run(Path, Map, Set, List)} makes of env and unset. */
    public static GitBinary.Result run(Path dir, List<String> jvmArgs, Map<String, String> env, Set<String> unset,
                                       String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        return GitBinary.run(dir, env, unset, cmd);
    }

    public static GitBinary.Result run(Path dir, String... args) {
        return run(dir, List.of(), args);
    }
}
