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
final class LfsPointer {
    /** git-lfs pointers are at most this long (the specification's limit). */
    static final int MAX_BYTES = 1024;
    private static final byte[][] HEADERS = {
            "version https://git-lfs.github.com/spec/".getBytes(StandardCharsets.US_ASCII),
            "version https://hawser.github.com/spec/".getBytes(StandardCharsets.US_ASCII)};

    private LfsPointer() {
    }

    static boolean is(Path file, long size) throws IOException {
        if (size > MAX_BYTES || size < HEADERS[1].length) {
            return false;
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(file)) {
            start = in.readNBytes(HEADERS[0].length);
        }
        for (byte[] header : HEADERS) {
            if (start.length >= header.length && java.util.Arrays.equals(start, 0, header.length, header, 0,
                    header.length)) {
                return true;
            }
        }
        return false;
    }
}
