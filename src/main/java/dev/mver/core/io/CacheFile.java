package dev.mver.core.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A cache kept as plain lines under a header that names its format: read on every run of the commands it speeds
 * up, so no JSON mapper. It is only ever a cache: a missing, foreign, oversized or unreadable file reads as empty,
 * a line cut short by a crash is dropped, and a failed write is ignored (the next run rebuilds what it lacks).
 */
public final class CacheFile {
    private CacheFile() {
    }

    /** The complete lines of {@code file} after {@code header}; none when the file is not such a cache. */
    public static List<String> read(Path file, String header, long maxBytes) {
        List<String> lines = new ArrayList<>();
        try {
            if (Files.size(file) > maxBytes) {
                return lines;
            }
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            if (!text.startsWith(header + "\n")) {
                return lines;
            }
            int pos = header.length() + 1;
            for (int end = text.indexOf('\n', pos); end >= 0; end = text.indexOf('\n', pos)) {
                if (end > pos) {
                    lines.add(text.substring(pos, end));
                }
                pos = end + 1;
            }
        } catch (NoSuchFileException e) {
            // first use
        } catch (IOException | RuntimeException e) {
            lines.clear();
        }
        return lines;
    }

    /** Replaces {@code file} atomically with {@code header} and {@code lines} (each ending in a newline). */
    public static boolean write(Path file, String header, CharSequence lines) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            AtomicFiles.write(file, (header + "\n" + lines).getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (IOException | RuntimeException e) {
            return false; // a read-only or full disk: the cache only saves time
        }
    }
}
