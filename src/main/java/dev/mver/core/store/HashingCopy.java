package dev.mver.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Copies a file while hashing it: one read of the source, a fixed buffer, so a 4 GiB artifact costs the same
 * memory as a 4 KiB one.
 */
public final class HashingCopy {
    static final int BUFFER_BYTES = 1 << 20;

    private HashingCopy() {
    }

    public record Result(Sha256 sha256, long size) {
    }

    /** Copies {@code source} to a new file {@code target} (which must not exist), fsyncs it, and returns its hash. */
    public static Result copy(Path source, Path target, ProgressListener progress) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Result r = pump(source, out, progress);
            out.force(true);
            return r;
        }
    }

    /** Hashes {@code source} without copying it. */
    public static Result hash(Path source, ProgressListener progress) throws IOException {
        return pump(source, null, progress);
    }

    /** Reads {@code source} once, hashing every buffer and writing it to {@code out} when there is one. */
    private static Result pump(Path source, FileChannel out, ProgressListener progress) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        byte[] array = new byte[BUFFER_BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(array);
        long total = 0;
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            while (true) {
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                digest.update(array, 0, n);
                if (out != null) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                }
                total += n;
                progress.advance(n);
            }
        }
        return new Result(Sha256.of(digest.digest()), total);
    }
}
