package dev.mver.core.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Recognises the text git-lfs leaves in place of a file's bytes when its smudge step did not run (a clone with
 * {@code GIT_LFS_SKIP_SMUDGE=1}, or CI's checkout without LFS): versioning those 130 bytes as the model would
 * publish a model that is not one.
 */
public final class LfsPointer {
    /** git-lfs pointers are at most this long (the specification's limit). */
    public static final int MAX_BYTES = 1024;
    private static final byte[][] HEADERS = {
            "version https://git-lfs.github.com/spec/".getBytes(StandardCharsets.US_ASCII),
            "version https://hawser.github.com/spec/".getBytes(StandardCharsets.US_ASCII)};

    private LfsPointer() {
    }

    /** What a pointer names: the object's SHA-256 (git-lfs's oid) and size. */
    public record Parsed(dev.mver.core.value.Sha256 oid, long size) {
    }

    /**
     * The object a pointer's text names; null when {@code bytes} are not a pointer (too long, another header, no
     * {@code oid sha256:} or {@code size} line).
     */
    public static Parsed parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES || !startsWithHeader(bytes)) {
            return null;
        }
        String oid = null;
        long size = -1;
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\r?\n")) {
            if (line.startsWith("oid sha256:") && line.length() == "oid sha256:".length() + 64) {
                oid = line.substring("oid sha256:".length());
            } else if (line.matches("size [0-9]{1,18}")) {
                size = Long.parseLong(line.substring(5));
            }
        }
        if (oid == null || size < 0 || !oid.matches("[0-9a-f]{64}")) {
            return null;
        }
        return new Parsed(dev.mver.core.value.Sha256.ofHex(oid), size);
    }

    private static boolean startsWithHeader(byte[] start) {
        for (byte[] header : HEADERS) {
            if (start.length >= header.length && java.util.Arrays.equals(start, 0, header.length, header, 0,
                    header.length)) {
                return true;
            }
        }
        return false;
    }

    static boolean is(Path file, long size) throws IOException {
        if (size > MAX_BYTES || size < HEADERS[1].length) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return startsWithHeader(in.readNBytes(HEADERS[0].length));
        }
    }
}
