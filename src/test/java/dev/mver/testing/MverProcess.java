package dev.mver.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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

    /**
     * {@code java [launcher options] -XX:TieredStopAtLevel=1 [jvmArgs] -jar mver.jar args...} in {@code dir}. Tests
     * run short commands on small files, where C2's compiler threads are most of a run's CPU (a quarter less with
     * C1 alone); a test that hashes large artifacts passes {@code -XX:TieredStopAtLevel=4} back, as SHA-256 runs
     * at full speed only in C2 code.
     */
    public static GitBinary.Result run(Path dir, List<String> jvmArgs, String... args) {
        return run(dir, jvmArgs, Map.of(), Set.of(), args);
    }

    /**
     * As above, in the environment that {@link GitBinary#run(Path, Map, Set, List)} makes of env and unset, with
     * {@link Python3Stub} first on the PATH unless {@code env} sets PATH itself.
     */
    public static GitBinary.Result run(Path dir, List<String> jvmArgs, Map<String, String> env, Set<String> unset,
                                       String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(launcherOptions());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add("-jar");
        cmd.add(jar().toString());
        cmd.addAll(List.of(args));
        Map<String, String> full = new HashMap<>(env);
        full.putIfAbsent("PATH", Cli.testEnv().get("PATH"));
        return GitBinary.run(dir, full, unset, cmd);
    }

    /**
     * The JVM options the launcher ({@code target/mver}) starts the jar with: the serial collector and, when the
     * build made one for this jar and this JDK, the class-data archive (a third less CPU per start, and the
     * end-to-end tests start hundreds of JVMs). Options a test passes come after these and win.
     */
    public static List<String> launcherOptions() {
        List<String> opts = new ArrayList<>(List.of("-XX:+UseSerialGC"));
        Path jsa = jar().resolveSibling("mver.jsa");
        Path madeFor = jar().resolveSibling("mver.jsa.for");
        try {
            if (Files.isRegularFile(jsa) && Files.isRegularFile(madeFor) && Files.readAllLines(madeFor).equals(
                    List.of(jar().toString(), System.getProperty("java.home")))) {
                opts.addAll(List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
            }
        } catch (IOException e) {
            // no archive: only slower starts
        }
        return opts;
    }

    public static GitBinary.Result run(Path dir, String... args) {
        return run(dir, List.of(), args);
    }
}
