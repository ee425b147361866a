package dev.mver.core.remote.s3;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;

/**
 * The part buffers of one remote's uploads: at most {@code count} at once across every object being sent, so
 * memory stays at jobs × part size however many objects go together; buffers are reused, not reallocated per part.
 */
final class PartBuffers {
    private final Semaphore permits;
    private final ConcurrentLinkedQueue<byte[]> free = new ConcurrentLinkedQueue<>();

    PartBuffers(int count) {
        permits = new Semaphore(count);
    }

    /** A buffer of at least {@code bytes}, waiting while all are in use. */
    byte[] take(int bytes) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted");
        }
        byte[] b = free.poll();
        return b != null && b.length >= bytes ? b : new byte[bytes];
    }

    void give(byte[] buffer) {
        free.add(buffer);
        permits.release();
    }
}
