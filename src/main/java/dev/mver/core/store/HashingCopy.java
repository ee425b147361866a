package dev.mver.core.store;

import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

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

    /**
     * Direct buffers are freed only by a garbage collection, which a command that allocates little heap may never
     * run: without reuse, a folder of large files would hold 4 MiB of native memory per file until exit.
     */
    private static final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> POOL =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

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
     * Two cores through a ring of {@value #PIPELINE_BUFFERS} buffers, in constant memory: this thread reads (and
     * writes, when {@code out} is given) while a second one hashes the same buffer, so the work costs about what
     * hashing costs, not the sum. The buffers are direct: the file system reads into them and writes from them
     * without the extra copy a heap buffer costs, and the hasher copies them to its array in cache-sized pieces.
     */
    private static Result pipeline(Path source, FileChannel out, ProgressListener progress) throws IOException {
        List<ByteBuffer> owned = new ArrayList<>();
        for (int i = 0; i < PIPELINE_BUFFERS; i++) {
            ByteBuffer b = POOL.poll();
            owned.add(b != null ? b : ByteBuffer.allocateDirect(BUFFER_BYTES));
        }
        ArrayDeque<ByteBuffer> free = new ArrayDeque<>(owned);
        long total = 0;
        try (Hasher hasher = new Hasher(); Writeback writeback = out == null ? null : new Writeback(out);
             FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
            while (true) {
                ByteBuffer buffer = free.isEmpty() ? hasher.takeHashed() : free.poll();
                buffer.clear();
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                hasher.hash(buffer);
                if (out != null) {
                    ByteBuffer view = buffer.duplicate(); // the hasher reads the same bytes meanwhile
                    while (view.hasRemaining()) {
                        out.write(view);
                    }
                    if ((total + n) % Writeback.STEP_BYTES < n) {
                        writeback.request();
                    }
                }
                total += n;
                progress.advance(n);
            }
            Sha256 sha = hasher.finish();
            POOL.addAll(owned); // the hasher is done with every one of them
            if (writeback != null) {
                writeback.finish();
            }
            return new Result(sha, total);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + source, e);
        } catch (ExecutionException e) {
            throw new IOException("cannot hash " + source + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * The second core's work: hashes the buffers handed to it, in order, and hands each back when it is done with
     * it. It copies a direct buffer to its array in cache-sized pieces, which is what the digest wants.
     */
    private static final class Hasher implements AutoCloseable {
        private final MessageDigest digest = Sha256.newDigest();
        private final BlockingQueue<ByteBuffer> toHash = new ArrayBlockingQueue<>(PIPELINE_BUFFERS + 1);
        private final BlockingQueue<ByteBuffer> hashed = new ArrayBlockingQueue<>(PIPELINE_BUFFERS);
        private final ByteBuffer end = ByteBuffer.allocate(0);
        private final FutureTask<Void> task = new FutureTask<>(this::run);

        Hasher() {
            Thread thread = new Thread(task, "mver-hasher");
            thread.setDaemon(true);
            thread.start();
        }

        private Void run() throws InterruptedException {
            byte[] piece = new byte[64 << 10];
            while (true) {
                ByteBuffer buffer = toHash.take();
                if (buffer == end) {
                    return null;
                }
                ByteBuffer view = buffer.duplicate();
                while (view.hasRemaining()) {
                    int n = Math.min(piece.length, view.remaining());
                    view.get(piece, 0, n);
                    digest.update(piece, 0, n);
                }
                hashed.put(buffer);
            }
        }

        void hash(ByteBuffer buffer) throws InterruptedException {
            toHash.put(buffer);
        }

        /** The next buffer the hasher is done with; fails rather than wait forever if the hasher died. */
        ByteBuffer takeHashed() throws InterruptedException, ExecutionException {
            while (true) {
                ByteBuffer b = hashed.poll(100, TimeUnit.MILLISECONDS);
                if (b != null) {
                    return b;
                }
                if (task.isDone()) {
                    task.get();
                    throw new ExecutionException(new IllegalStateException("hasher stopped"));
                }
            }
        }

        /** The hash of everything handed over; waiting for the task also orders its updates before the read. */
        Sha256 finish() throws InterruptedException, ExecutionException {
            toHash.put(end);
            task.get();
            return Sha256.of(digest.digest());
        }

        @Override
        public void close() {
            task.cancel(true);
        }
    }

    /** Hashes {@code source} without copying it. */
    public static Result hash(Path source, ProgressListener progress) throws IOException {
        return java.nio.file.Files.size(source) >= PIPELINE_BYTES ? pipeline(source, null, progress)
                : pump(source, null, progress);
    }

    /**
     * Flushes what has been written so far to disk on a thread of its own, while the copy goes on, so the fsync
     * that must precede the rename finds little left to write instead of the whole file. It waits on the disk,
     * not on a core. A failure is kept and thrown by {@link #finish}: Linux reports a write-back error to one
     * fsync only, so the final fsync would not see it again.
     */
    private static final class Writeback implements AutoCloseable {
        static final long STEP_BYTES = 64L << 20;
        private final java.util.concurrent.Semaphore requests = new java.util.concurrent.Semaphore(0);
        private final Thread thread;
        private volatile boolean closed;
        private volatile IOException failure;

        Writeback(FileChannel out) {
            thread = new Thread(() -> {
                while (true) {
                    try {
                        requests.acquire();
                        requests.drainPermits();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (closed) {
                        return;
                    }
                    try {
                        out.force(false);
                    } catch (IOException e) {
                        failure = e;
                        return;
                    } catch (RuntimeException e) {
                        failure = new IOException("cannot flush to disk: " + e, e);
                        return;
                    }
                }
            }, "mver-writeback");
            thread.setDaemon(true);
            thread.start();
        }

        void request() {
            requests.release();
        }

        /** Waits for a flush still running and throws the first one that failed. */
        void finish() throws IOException {
            close();
            if (failure != null) {
                throw new IOException("cannot write to disk: " + failure.getMessage(), failure);
            }
        }

        @Override
        public void close() {
            closed = true;
            requests.release();
            try {
                thread.join(); // an fsync still running finishes before the caller's own, and before close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
