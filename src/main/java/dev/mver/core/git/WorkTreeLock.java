package dev.mver.core.git;

import dev.mver.core.value.MverException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises mver's writes to one work tree (its ignore files, pointers and index entries) between processes and
 * threads: an OS file lock, which dies with its process so a killed command never leaves it behind, plus an
 * in-process lock because the OS lock is per process. A second mver command waits its turn instead of failing.
 */
final class WorkTreeLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();
    static final long WAIT_MILLIS = 60_000;

    private final ReentrantLock local;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkTreeLock(ReentrantLock local, FileChannel channel, FileLock lock) {
        this.local = local;
        this.channel = channel;
        this.lock = lock;
    }

    static WorkTreeLock acquire(Path file) {
        ReentrantLock local = IN_PROCESS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new ReentrantLock());
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        try {
            if (!local.tryLock(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                throw busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy();
        }
        FileChannel channel = null;
        try {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            while (true) {
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock != null) {
                    return new WorkTreeLock(local, channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    throw busy();
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            close(channel);
            local.unlock();
            throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(channel);
            local.unlock();
            throw busy();
        } catch (RuntimeException e) {
            close(channel);
            local.unlock();
            throw e;
        }
    }

    private static MverException busy() {
        return MverException.conflict("another mver command has been changing this work tree for a minute; "
                + "try again when it has finished");
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases the lock either way
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // released with the channel below
        }
        close(channel);
        local.unlock();
    }
}
