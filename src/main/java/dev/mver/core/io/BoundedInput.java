package dev.mver.core.io;

import dev.mver.core.value.MverException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a file the user named ({@code --metadata}, {@code --requirements}) with two bounds, so that no path can
 * hang mver or exhaust its heap. The size bound counts the bytes as they are read: a device or a pipe reports size
 * 0, and {@code /dev/zero} never ends. The time bound is on opening only: opening a FIFO blocks until something
 * opens it for writing, which may be never; reading from a writer that is slow (a script behind {@code <(...)})
 * is left to take its time.
 */
public final class BoundedInput {
    /** How long opening a file that is not a regular file may take before mver gives up on it. */
    static final long OPEN_TIMEOUT_MILLIS = 1000;

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private BoundedInput() {
    }

    /**
     * The bytes of {@code file}, at most {@code limit} of them. {@code what} names the input in messages
     * ("metadata file"): a missing file is exit 4, anything else that goes wrong is exit 2.
     */
    public static byte[] read(Path file, String what, int limit) {
        try (InputStream in = open(file, what)) {
            byte[] bytes = in.readNBytes(limit + 1);
            if (bytes.length > limit) {
                throw MverException.usage("%s %s is larger than %s", what, file, describe(limit));
            }
            return bytes;
        } catch (NoSuchFileException e) {
            throw MverException.notFound("%s not found: %s", what, file);
        } catch (IOException e) {
            throw MverException.usage("cannot read %s %s: %s", what, file, e.getMessage());
        }
    }

    private static InputStream open(Path file, String what) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.newInputStream(file); // open(2) of a regular file does not wait for anyone
        }
        CompletableFuture<InputStream> opened = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                InputStream in = Files.newInputStream(file);
                if (!opened.complete(in)) {
                    in.close(); // opened after the caller gave up
                }
            } catch (Throwable t) {
                opened.completeExceptionally(t);
            }
        }, "mver-open-input");
        opener.setDaemon(true);
        opener.start();
        try {
            return opened.get(OPEN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean fifo = isFifo(file);
            MverException refused = fifo
                    ? MverException.usage("nothing is writing to the FIFO %s given as %s (waited %d ms)", file, what,
                            OPEN_TIMEOUT_MILLIS)
                    : MverException.usage("%s %s did not open within %d ms", what, file, OPEN_TIMEOUT_MILLIS);
            if (!opened.completeExceptionally(refused)) {
                return opened.join(); // a writer came just as time ran out
            }
            if (fifo) {
                releaseOpener(file);
            }
            throw refused;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause().toString(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + file, e);
        }
    }

    /**
     * Opening the FIFO for writing, and closing it at once, completes the opener's open(2) (it then reads end of
     * file and closes), so no thread stays blocked in the kernel. This too runs on its own thread: should the
     * opener have gone already, an open for writing would wait for the next reader.
     */
    private static void releaseOpener(Path fifo) {
        Thread releaser = new Thread(() -> {
            try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.WRITE)) {
                // nothing to write: the open is the point
            } catch (IOException | RuntimeException e) {
                // the FIFO went away: nobody is blocked on it any more
            }
        }, "mver-release-fifo");
        releaser.setDaemon(true);
        releaser.start();
    }

    private static boolean isFifo(Path file) {
        try {
            return ((Integer) Files.getAttribute(file, "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false; // no unix view: never open a device for writing on a guess
        }
    }

    private static String describe(int limit) {
        return limit % (1 << 20) == 0 ? (limit >> 20) + " MiB" : limit + " bytes";
    }
}
