package dev.mver.core.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.ExitCode;
import dev.mver.core.Json;
import dev.mver.core.MverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Remembers the hash of each work-tree file by its stat fingerprint (size, mtime and ctime in nanoseconds,
 * inode) so that {@code status} never re-reads a file that did not change.
 *
 * <p>Racy rule: a file whose mtime is within {@link #RACY_WINDOW_NANOS} of the moment we started hashing it
 * could be rewritten again with the same size inside one timestamp tick, so its hash is not remembered; it is
 * re-hashed next time, when it is old enough to be trusted. This is git's racy-clean rule, with a margin for
 * coarse file-system clocks. Safe to use from several threads.
 */
public final class StatCache {
    static final long RACY_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    @JsonPropertyOrder({"size", "mtime_ns", "ctime_ns", "inode"})
    public record Fingerprint(long size, long mtimeNs, long ctimeNs, long inode) {
        public static Fingerprint of(Path file) throws IOException {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino",
                    LinkOption.NOFOLLOW_LINKS);
            return new Fingerprint((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
                    nanos((FileTime) a.get("ctime")), ((Number) a.get("ino")).longValue());
        }

        private static long nanos(FileTime t) {
            return t.to(TimeUnit.NANOSECONDS);
        }
    }

    @JsonPropertyOrder({"fingerprint", "sha256"})
    record Entry(Fingerprint fingerprint, Sha256 sha256) {
    }

    @JsonPropertyOrder({"schema", "entries"})
    record Stored(String schema, Map<String, Entry> entries) {
    }

    private static final String SCHEMA = "mver/stat-cache/v1";
    private final Path file;
    private final Map<String, Entry> entries;
    private boolean dirty;

    private StatCache(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Loads the cache; a missing or unreadable one is simply empty (it is only a cache). */
    public static StatCache load(Path file) {
        try {
            Stored stored = Json.parse(Files.readAllBytes(file), Stored.class, "stat cache", ExitCode.INTERNAL);
            if (SCHEMA.equals(stored.schema()) && stored.entries() != null) {
                return new StatCache(file, new TreeMap<>(stored.entries()));
            }
        } catch (NoSuchFileException e) {
            // first use
        } catch (IOException | MverException e) {
            // corrupt cache: start over
        }
        return new StatCache(file, new TreeMap<>());
    }

    /** The remembered hash of {@code file} at {@code key}, or null when it must be read. */
    public synchronized Sha256 lookup(String key, Fingerprint now) {
        Entry e = entries.get(key);
        return e != null && e.fingerprint().equals(now) ? e.sha256() : null;
    }

    /**
     * Records that {@code file}, with fingerprint {@code before} taken before hashing started at
     * {@code hashStartNanos} (epoch nanoseconds), hashed to {@code sha}.
     */
    public synchronized void record(String key, Fingerprint before, long hashStartNanos, Sha256 sha) {
        if (before.mtimeNs() > hashStartNanos - RACY_WINDOW_NANOS || before.ctimeNs() > hashStartNanos - RACY_WINDOW_NANOS) {
            if (entries.remove(key) != null) {
                dirty = true;
            }
            return;
        }
        Entry e = new Entry(before, sha);
        if (!e.equals(entries.put(key, e))) {
            dirty = true;
        }
    }

    public synchronized void forget(String key) {
        if (entries.remove(key) != null) {
            dirty = true;
        }
    }

    public static long nowNanos() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** Writes the cache if it changed; failures are ignored because the next run rebuilds it. */
    public synchronized void save() {
        if (!dirty) {
            return;
        }
        try {
            AtomicFiles.write(file, Json.canonicalBytes(new Stored(SCHEMA, entries)));
            dirty = false;
        } catch (RuntimeException e) {
            // read-only cache folder or full disk: the cache only saves time
        }
    }
}
