package dev.mver.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mver.core.value.Sha256;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatCacheTest {
    @TempDir
    Path tmp;

    static final Sha256 SHA = Sha256.ofHex("a".repeat(64));
    static final long NOW = StatCache.nowNanos();
    static final long OLD = NOW - TimeUnit.MINUTES.toNanos(5);

    @Test
    void a_file_touched_within_the_racy_window_is_not_remembered_and_an_old_one_is() {
        StatCache cache = StatCache.load(tmp.resolve("stat-cache"));
        StatCache.Fingerprint fresh = new StatCache.Fingerprint(10, NOW - 1000, NOW - 1000, 7);
        cache.record("fresh", fresh, NOW, SHA);
        assertNull(cache.lookup("fresh", fresh));
        StatCache.Fingerprint old = new StatCache.Fingerprint(10, OLD, OLD, 8);
        cache.record("old", old, NOW, SHA);
        assertEquals(SHA, cache.lookup("old", old));
        cache.save();
        assertEquals(SHA, StatCache.load(tmp.resolve("stat-cache")).lookup("old", old));
    }

    @Test
    void a_hard_linked_file_is_remembered_under_its_new_ctime_unless_its_content_may_have_changed() {
        StatCache cache = StatCache.load(tmp.resolve("stat-cache"));
        StatCache.Fingerprint before = new StatCache.Fingerprint(10, OLD, OLD, 9);
        StatCache.Fingerprint linked = new StatCache.Fingerprint(10, OLD, NOW, 9);
        cache.recordRelinked("m", before, linked, NOW, SHA);
        assertEquals(SHA, cache.lookup("m", linked), "status after a hard-linking add must not re-read the file");
        assertNull(cache.lookup("m", before));

        StatCache.Fingerprint written = new StatCache.Fingerprint(10, NOW, NOW, 9);
        cache.recordRelinked("m", before, written, NOW, SHA);
        assertNull(cache.lookup("m", written), "an mtime that moved between hashing and linking means a write");
        assertNull(cache.lookup("m", linked));
    }

    @Test
    void a_fresh_file_whose_bytes_were_stored_while_hashed_is_trusted_only_for_storing() {
        StatCache cache = StatCache.load(tmp.resolve("stat-cache"));
        StatCache.Fingerprint fresh = new StatCache.Fingerprint(10, NOW - 1000, NOW - 1000, 7);
        cache.recordStored("model", fresh, NOW, SHA);
        assertNull(cache.lookup("model", fresh), "status and checkout still re-hash a racy file");
        assertEquals(SHA, cache.lookupStored("model", fresh), "register takes the object add just stored");
        assertNull(cache.lookupStored("model", new StatCache.Fingerprint(10, NOW - 999, NOW - 1000, 7)));
        cache.save();
        StatCache again = StatCache.load(tmp.resolve("stat-cache"));
        assertEquals(SHA, again.lookupStored("model", fresh));
        assertNull(again.lookup("model", fresh));
    }
}
