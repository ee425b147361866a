package dev.mver.core.store;

import dev.mver.core.io.CacheFile;
import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

        // Written out, as in every value status compares: a record's generated equals and hashCode set up method
        // handles on first use, which cost status a fifth of its own time.
        @Override
        public boolean equals(Object o) {
            return o instanceof Fingerprint f && size == f.size && mtimeNs == f.mtimeNs && ctimeNs == f.ctimeNs
                    && inode == f.inode;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(size) ^ Long.hashCode(mtimeNs) ^ Long.hashCode(inode);
        }
    }

    /**
     * {@code racy}: the file was hashed too soon after its last change to be trusted by the racy rule, but its
     * bytes went into the cache in that same read; only {@link #lookupStored} takes such an entry.
     */
    record Entry(Fingerprint fingerprint, Sha256 sha256, boolean racy) {
    }

    /**
     * Plain lines, {@code size mtime ctime inode c|s sha256 path} ({@code s}: a racy entry), under a header:
     * status reads this on every run, and a JSON mapper would cost it more start-up time than all its stat calls.
     */
    private static final String HEADER = "mver-stat-cache v3";
    private final Path file;
    private final Map<String, Entry> entries;
    private boolean dirty;

    private StatCache(Path file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Loads the cache; a missing or unreadable one is simply empty (it is only a cache). */
    public static StatCache load(Path file) {
        Map<String, Entry> entries = new TreeMap<>();
        try {
            for (String line : CacheFile.read(file, HEADER, Long.MAX_VALUE)) {
                parse(line, entries);
            }
        } catch (RuntimeException e) {
            entries.clear(); // corrupt cache: start over, it is only a cache
        }
        return new StatCache(file, entries);
    }

    private static void parse(String line, Map<String, Entry> entries) {
        String[] f = line.split(" ", 7);
        if (f.length == 7 && (f[4].equals("c") || f[4].equals("s"))) {
            entries.put(f[6], new Entry(new Fingerprint(Long.parseLong(f[0]), Long.parseLong(f[1]),
                    Long.parseLong(f[2]), Long.parseLong(f[3])), Sha256.ofHex(f[5]), f[4].equals("s")));
        }
    }

    /** The remembered hash of {@code file} at {@code key}, or null when it must be read. */
    public synchronized Sha256 lookup(String key, Fingerprint now) {
        Entry e = entries.get(key);
        return e != null && !e.racy() && e.fingerprint().equals(now) ? e.sha256() : null;
    }

    /**
     * As {@link #lookup}, but also taking a racy entry whose bytes were stored in the cache while they were hashed:
     * for a caller that will use the cached object rather than the file (register right after add), so the
     * object is not copied a second time. The file's full fingerprint (nanosecond times, inode) must still match.
     */
    public synchronized Sha256 lookupStored(String key, Fingerprint now) {
        Entry e = entries.get(key);
        return e != null && e.fingerprint().equals(now) ? e.sha256() : null;
    }

    /**
     * Records that {@code file}, with fingerprint {@code before} taken before hashing started at
     * {@code hashStartNanos} (epoch nanoseconds), hashed to {@code sha}.
     */
    public synchronized void record(String key, Fingerprint before, long hashStartNanos, Sha256 sha) {
        record(key, before, before, hashStartNanos, sha, false);
    }

    /** As {@link #record}, for bytes that were copied into the cache by the same read that hashed them. */
    public synchronized void recordStored(String key, Fingerprint before, long hashStartNanos, Sha256 sha) {
        record(key, before, before, hashStartNanos, sha, true);
    }

    /**
     * Records a file that mver itself re-linked and made read-only after hashing it: that changed its ctime (and
     * mode) but not its bytes, so the racy rule applies to {@code before} while {@code after} is what later stat
     * calls will see. Anything else that changed in between (size, mtime, inode) means a write: nothing is kept.
     */
    public synchronized void recordRelinked(String key, Fingerprint before, Fingerprint after, long hashStartNanos,
                                            Sha256 sha) {
        if (after.size() != before.size() || after.mtimeNs() != before.mtimeNs() || after.inode() != before.inode()) {
            forget(key);
            return;
        }
        record(key, before, after, hashStartNanos, sha, true);
    }

    private void record(String key, Fingerprint before, Fingerprint stored, long hashStartNanos, Sha256 sha,
                        boolean inCache) {
        boolean racy = before.mtimeNs() > hashStartNanos - RACY_WINDOW_NANOS
                || before.ctimeNs() > hashStartNanos - RACY_WINDOW_NANOS;
        if (racy && !inCache) {
            if (entries.remove(key) != null) {
                dirty = true;
            }
            return;
        }
        Entry e = new Entry(stored, sha, racy);
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
        StringBuilder sb = new StringBuilder();
        entries.forEach((key, e) -> {
            if (key.indexOf('\n') < 0) {
                Fingerprint f = e.fingerprint();
                sb.append(f.size()).append(' ').append(f.mtimeNs()).append(' ').append(f.ctimeNs()).append(' ')
                        .append(f.inode()).append(' ').append(e.racy() ? 's' : 'c').append(' ')
                        .append(e.sha256().hex()).append(' ').append(key).append('\n');
            }
        });
        if (CacheFile.write(file, HEADER, sb)) {
            dirty = false;
            try {
                Files.deleteIfExists(file.resolveSibling("stat-cache.json")); // the JSON cache of earlier versions
            } catch (IOException e) {
                // harmless leftover
            }
        }
    }
}
