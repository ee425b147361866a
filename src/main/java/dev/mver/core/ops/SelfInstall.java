package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.env.SearchPath;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs the running mver under a prefix, the layout Unix tools use: {@code bin/mver} (the launcher),
 * {@code lib/mver/mver.jar} (with its class-data archive when the build made one), and shell completion in
 * {@code share/}. Every file is written beside its place and renamed in, so a running mver is never half replaced.
 */
public final class SelfInstall {
    private final Map<String, String> env;

    public SelfInstall(Map<String, String> env) {
        this.env = env;
    }

    @JsonPropertyOrder({"prefix", "launcher", "jar", "completions", "class_data_archive", "on_path"})
    public record Result(String prefix, String launcher, String jar, List<String> completions,
                         boolean classDataArchive, boolean onPath) {
    }

    /**
     * Copies {@code runningJar} and the launcher under {@code prefix} ({@code ~/.local} when null), with
     * {@code completions} (file name under {@code share/} to script) beside them.
     */
    public Result install(Path prefix, Path runningJar, Map<String, String> completions) {
        if (runningJar == null || !runningJar.toString().endsWith(".jar") || !Files.isRegularFile(runningJar)) {
            throw MverException.usage("install copies the mver.jar it runs from; run it from a build: target/mver "
                    + "install");
        }
        Path root = (prefix != null ? prefix : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")),
                ".local")).toAbsolutePath().normalize();
        Path lib = root.resolve("lib/mver");
        Path jar = lib.resolve("mver.jar");
        Path launcher = root.resolve("bin/mver");
        try {
            Files.createDirectories(lib);
            Files.createDirectories(launcher.getParent());
            if (!Files.exists(jar) || !Files.isSameFile(runningJar, jar)) {
                AtomicFiles.write(jar, Files.readAllBytes(runningJar));
            }
            AtomicFiles.write(launcher, launcherScript(jar).getBytes(StandardCharsets.UTF_8));
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            List<String> written = new ArrayList<>();
            for (Map.Entry<String, String> c : completions.entrySet()) {
                Path file = root.resolve("share").resolve(c.getKey());
                Files.createDirectories(file.getParent());
                AtomicFiles.write(file, c.getValue().getBytes(StandardCharsets.UTF_8));
                written.add(file.toString());
            }
            // The class list goes along, so installing again from the installed mver can train its archive too.
            Path classList = runningJar.resolveSibling("mver.classlist");
            Path installedList = lib.resolve("mver.classlist");
            if (Files.isRegularFile(classList) && !classList.toAbsolutePath().normalize().equals(installedList)) {
                AtomicFiles.write(installedList, Files.readAllBytes(classList));
            }
            boolean archive = classDataArchive(installedList, jar);
            return new Result(root.toString(), launcher.toString(), jar.toString(), written, archive,
                    onPath(launcher.getParent()));
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot install into " + root + ": " + e.getMessage(), e);
        }
    }

    /** The launcher the build ships, told where its jar now is. */
    private static String launcherScript(Path jar) throws IOException {
        try (InputStream in = SelfInstall.class.getResourceAsStream("/dev/mver/launcher/mver")) {
            if (in == null) {
                throw new IllegalStateException("the jar holds no launcher (dev/mver/launcher/mver)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@MVER_JAR@", jar.toString());
        }
    }

    /**
     * The class-data archive for the installed jar (it is valid only for the jar's path and this JDK), from the
     * class list the build trained; none (a slower start, nothing else) when there is no list or the dump fails.
     */
    private static boolean classDataArchive(Path classList, Path jar) {
        Path archive = jar.resolveSibling("mver.jsa");
        Path stamp = jar.resolveSibling("mver.jsa.for");
        try {
            Files.deleteIfExists(stamp);
            Files.deleteIfExists(archive);
            if (!Files.isRegularFile(classList)) {
                return false;
            }
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process p = new ProcessBuilder(java.toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                    "-XX:SharedArchiveFile=" + archive, "-XX:+UseSerialGC", "-cp", jar.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.isRegularFile(archive)) {
                p.destroyForcibly();
                Files.deleteIfExists(archive);
                return false;
            }
            AtomicFiles.write(stamp, (jar.toRealPath() + "\n" + Path.of(System.getProperty("java.home")).toRealPath()
                    + "\n").getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    private boolean onPath(Path bin) {
        return SearchPath.contains(env, bin);
    }
}
