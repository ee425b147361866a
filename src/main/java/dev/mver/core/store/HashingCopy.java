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

    /**
     * Files at least this large are handled by two threads: when copying, one reads and hashes while the other
     * writes; when only hashing, one reads while the other hashes.
     */
    static final long PIPELINE_BYTES = 8L << 20;
    private static final int PIPELINE_BUFFERS = 4;

    /** Copies {@code source} to a new file {@code target} (which must not exist), fsyncs it, and returns its hash. */
    public static Result copy(Path source, Path target, ProgressListener progress) throws IOException {
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Result r = java.nio.file.Files.size(source) >= PIPELINE_BYTES ? pipeline(source, out, progress)
                    : pump(source, out, progress);
            out.force(true);
            return r;
        }
    }

    /**
     * Two cores through a ring of {@value #PIPELINE_BUFFERS} buffers, in constant memory: reading and hashing on
     * one and writing on the other when {@code out} is given, reading on one and hashing on the other when it is
     * null. The work costs about what the slower side costs, not the sum.
     */
    private static Result pipeline(Path source, FileChannel out, ProgressListener progress) throws IOException {
        MessageDigest digest = Sha256.newDigest();
        boolean readerHashes = out != null;
        java.util.concurrent.BlockingQueue<ByteBuffer> free = new java.util.concurrent.ArrayBlockingQueue<>(PIPELINE_BUFFERS);
        java.util.concurrent.BlockingQueue<ByteBuffer> full = new java.util.concurrent.ArrayBlockingQueue<>(PIPELINE_BUFFERS + 1);
        for (int i = 0; i < PIPELINE_BUFFERS; i++) {
            free.add(ByteBuffer.allocate(BUFFER_BYTES));
        }
        ByteBuffer end = ByteBuffer.allocate(0);
        java.util.concurrent.FutureTask<Long> reader = new java.util.concurrent.FutureTask<>(() -> {
            long total = 0;
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                while (true) {
                    ByteBuffer buffer = free.take();
                    buffer.clear();
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    if (readerHashes) {
                        digest.update(buffer.array(), 0, n);
                    }
                    total += n;
                    buffer.flip();
                    full.put(buffer);
                }
            } finally {
                full.put(end);
            }
            return total;
        });
        Thread thread = new Thread(reader, "mver-pipeline");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                ByteBuffer buffer = full.take();
                if (buffer == end) {
                    break;
                }
                int n = buffer.remaining();
                if (out != null) {
                    while (buffer.hasRemaining()) {
                        out.write(buffer);
                    }
                } else {
                    digest.update(buffer.array(), 0, n);
                }
                progress.advance(n);
                free.put(buffer);
            }
            long total = reader.get(); // also orders the reader's digest updates before the digest is read
            return new Result(Sha256.of(digest.digest()), total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while copying " + source, e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException("cannot read " + source + ": " + cause, cause);
        } finally {
            reader.cancel(true);
        }
    }

    /** Hashes {@code source} without copying it. */
    public static Result hash(Path source, ProgressListener progress) throws IOException {
        return java.nio.file.Files.size(source) >= PIPELINE_BYTES ? pipeline(source, null, progress)
                : pump(source, null, progress);
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
