package dev.mver.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that are all-or-nothing: a temp file in the destination's folder, fsync, rename over the target, fsync
 * the folder. A crash leaves the old file or the new one (plus a stray temp file), never a half-written one; the
 * rename also breaks any hard link the old file had to a file outside the tree.
 */
public final class AtomicFiles {
    public static final String TEMP_PREFIX = ".mver-tmp-";

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] bytes) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path temp = tempBeside(target);
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        ch.write(buffer);
                    }
                    ch.force(true);
                }
                moveIntoPlace(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** A fresh temp path in {@code target}'s folder; the name marks it as ours so cleanup can find it. */
    public static Path tempBeside(Path target) {
        return target.resolveSibling(TEMP_PREFIX + target.getFileName() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
    }

    /** Renames {@code temp} over {@code target} atomically and makes the rename durable. */
    public static void moveIntoPlace(Path temp, Path target) throws IOException {
        CrashPoints.reached("rename into " + target.getFileName());
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically in " + target.getParent(), e);
        }
        fsyncDirectory(target.toAbsolutePath().getParent());
    }

    public static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot open or sync a folder; the rename itself is still atomic there.
        }
    }
}
