package dev.mver.core.env;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The PATH of the environment mver was given, read as a shell reads it (absolute entries only). */
public final class SearchPath {
    private SearchPath() {
    }

    /**
     * The first executable {@code program} on {@code env}'s PATH, or null. A relative entry ('.') is skipped: it
     * would run a program from the repository itself.
     */
    public static Path find(Map<String, String> env, String program) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Whether {@code dir} is one of the PATH's entries. */
    public static boolean contains(Map<String, String> env, Path dir) {
        Path wanted = dir.toAbsolutePath().normalize();
        for (String entry : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!entry.isEmpty() && Path.of(entry).isAbsolute() && Path.of(entry).normalize().equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
