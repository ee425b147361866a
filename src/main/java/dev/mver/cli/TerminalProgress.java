package dev.mver.cli;

import dev.mver.core.store.ProgressListener;
import java.io.PrintWriter;
import java.time.Clock;

/** One redrawn line on stderr for long copies and transfers: bytes, rate and time left. Safe across threads. */
final class TerminalProgress implements ProgressListener {
    private static final long MIN_BYTES = 32L << 20;
    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter err;
    private final Clock clock;
    private String label;
    private long total;
    private long done;
    private long startMillis;
    private long lastDraw;
    private boolean drawn;

    TerminalProgress(PrintWriter err, Clock clock) {
        this.err = err;
        this.clock = clock;
    }

    @Override
    public synchronized void start(String label, long totalBytes) {
        this.label = label;
        this.total = totalBytes;
        this.done = 0;
        this.startMillis = clock.millis();
        this.lastDraw = startMillis;
        this.drawn = false;
    }

    @Override
    public synchronized void advance(long bytes) {
        done += bytes;
        long now = clock.millis();
        if (total >= MIN_BYTES && now - lastDraw >= REDRAW_MILLIS) {
            lastDraw = now;
            double seconds = Math.max(0.001, (now - startMillis) / 1000.0);
            double rate = done / seconds;
            long eta = rate > 0 ? (long) ((total - done) / rate) : 0;
            err.printf("\r%-40s %s / %s  %s/s  ETA %ds ", Format.clip(label, 40), Format.bytes(done),
                    Format.bytes(total), Format.bytes((long) rate), eta);
            err.flush();
            drawn = true;
        }
    }

    @Override
    public synchronized void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
