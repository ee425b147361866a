package dev.mver.core.store;

/** Receives byte counts from long copies so a terminal front end can draw progress; core code never prints. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
    };

    default void start(String label, long totalBytes) {
    }

    default void advance(long bytes) {
    }

    default void finish() {
    }
}
