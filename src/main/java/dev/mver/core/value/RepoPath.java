package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A path relative to a tree root, in '/' form, that cannot escape the root or reach into {@code .git}: no empty,
 * absolute, {@code .} or {@code ..} segments, no {@code .git} in any case, no backslash, NUL or control characters,
 * no {@code //} and no trailing slash. Every path read from a pointer, manifest, metadata record or tag passes
 * through here before it touches the file system.
 */
public record RepoPath(String value) implements Comparable<RepoPath> {
    private static final int MAX_LENGTH = 4096;

    public RepoPath {
        String problem = problem(value);
        if (problem != null) {
            throw MverException.invalid("unsafe path '" + Text.printable(value, 100) + "': " + problem);
        }
    }

    @JsonCreator
    public static RepoPath of(String value) {
        return new RepoPath(value);
    }

    // Written out, as in every value status compares: a record's generated equals and hashCode set up method
    // handles on first use, which cost status a fifth of its own time.
    @Override
    public boolean equals(Object o) {
        return o instanceof RepoPath other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The path of {@code file} relative to {@code root}; both must be absolute and normalised. */
    public static RepoPath relative(Path root, Path file) {
        Path rel = root.relativize(file);
        return new RepoPath(rel.toString().replace(java.io.File.separatorChar, '/'));
    }

    private static String problem(String v) {
        if (v == null || v.isEmpty()) {
            return "empty";
        }
        if (v.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        if (v.startsWith("/")) {
            return "absolute";
        }
        if (v.endsWith("/")) {
            return "trailing slash";
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\\') {
                return "backslash";
            }
            if (c < 0x20 || c == 0x7f) {
                return "control character";
            }
        }
        if (v.length() >= 2 && v.charAt(1) == ':') {
            return "drive letter";
        }
        for (String segment : v.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty segment";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'" + segment + "' segment";
            }
            String lower = segment.toLowerCase(Locale.ROOT);
            // Trailing dots and spaces are dropped by some file systems, making ".git." mean ".git".
            String trimmed = withoutTrailingDotsAndSpaces(lower);
            if (trimmed.equals(".git") || lower.equals("git~1")) {
                return "inside .git";
            }
        }
        return null;
    }

    /**
     * Whether this path is mver's own folder {@code .mver} or inside it, as a case-insensitive file system (or one
     * that drops trailing dots and spaces) would see it: never an artifact, wherever the path came from.
     */
    public boolean inMverFolder() {
        int slash = value.indexOf('/');
        String first = (slash < 0 ? value : value.substring(0, slash)).toLowerCase(Locale.ROOT);
        return withoutTrailingDotsAndSpaces(first).equals(".mver");
    }

    private static String withoutTrailingDotsAndSpaces(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }

    public String fileName() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? value : value.substring(slash + 1);
    }

    public RepoPath parent() {
        int slash = value.lastIndexOf('/');
        return slash < 0 ? null : new RepoPath(value.substring(0, slash));
    }

    public RepoPath resolve(RepoPath child) {
        return new RepoPath(value + "/" + child.value);
    }

    public RepoPath withSuffix(String suffix) {
        return new RepoPath(value + suffix);
    }

    /** The key under which two paths collide on a case-insensitive file system. */
    public String foldedKey() {
        return value.toLowerCase(Locale.ROOT);
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(RepoPath o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

}
