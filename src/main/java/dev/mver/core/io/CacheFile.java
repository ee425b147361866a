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
        if (!forEachLine(file, header, maxBytes, lines::add)) {
            lines.clear();
        }
        return lines;
    }

    /**
     * Hands each complete line of {@code file} after {@code header} to {@code line}, one at a time (a 7 MB cache is
     * not held twice over as a list of lines); false when the file turned out unreadable part way, whose lines
     * handed over so far are then to be dropped. A missing or foreign file has no lines.
     */
    public static boolean forEachLine(Path file, String header, long maxBytes,
                                      java.util.function.Consumer<String> line) {
        try {
            String text = text(file, header, maxBytes);
            if (text == null) {
                return true;
            }
            int pos = header.length() + 1;
            for (int end = text.indexOf('\n', pos); end >= 0; end = text.indexOf('\n', pos)) {
                if (end > pos) {
                    line.accept(text.substring(pos, end));
                }
                pos = end + 1;
            }
            return true;
        } catch (NoSuchFileException e) {
            return true; // first use
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The whole text of {@code file} when it starts with {@code header}'s line and is no larger than allowed. */
    private static String text(Path file, String header, long maxBytes) throws IOException {
        if (Files.size(file) > maxBytes) {
            return null;
        }
        String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        return text.startsWith(header + "\n") ? text : null;
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

    /**
     * Adds {@code lines} (each ending in a newline) at the end of {@code file}, in one write; a file that is not
     * there is written whole with {@code header}. Not synced: a tail torn by a crash is a line that fails its
     * checksum or is cut short, which readers drop. A file that does not end in a newline (a torn tail) gets one
     * first, so the torn line stays apart.
     */
    public static boolean append(Path file, String header, CharSequence lines) {
        if (!Files.exists(file)) {
            return write(file, header, lines);
        }
        try {
            String text = lines.toString();
            try (java.io.RandomAccessFile in = new java.io.RandomAccessFile(file.toFile(), "r")) {
                if (in.length() > 0) {
                    in.seek(in.length() - 1);
                    if (in.read() != '\n') {
                        text = "\n" + text;
                    }
                }
            }
            appendBytes(file, text);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void appendBytes(Path file, String text) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.APPEND)) {
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }
    }

    /**
     * The text after {@code header} of a cache written whole by {@link #writeWhole}; null when the file is missing,
     * foreign, oversized, unreadable, or does not match its checksum (damaged or cut short).
     */
    public static String readWhole(Path file, String header, long maxBytes) {
        try {
            String text = text(file, header, maxBytes);
            if (text == null) {
                return null;
            }
            int crcEnd = text.indexOf('\n', header.length() + 1);
            if (crcEnd < 0) {
                return null;
            }
            String body = text.substring(crcEnd + 1);
            return text.substring(header.length() + 1, crcEnd).equals(crc(body)) ? body : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Replaces {@code file} atomically with {@code header}, a checksum line and {@code body}: for a cache that is
     * only ever taken whole, where a damaged line would make the rest wrong.
     */
    public static boolean writeWhole(Path file, String header, String body) {
        return write(file, header, crc(body) + "\n" + body);
    }

    /** CRC-32C of the text's UTF-8 bytes, in hex. */
    public static String crc(String text) {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
