package dev.mver.core.remote;

import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.Sha256;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * Content-addressed object storage somewhere else: objects are stored under their hash at
 * {@code objects/ab/cdef...}, so the same bytes are never uploaded twice. Uploads re-hash the local object and
 * publish nothing half-written; downloads are verified before they enter the local cache.
 */
public interface RemoteStore extends AutoCloseable {
    /** Where the objects go, for messages; never includes credentials. */
    String describe();

    /** Where the remote keeps {@code sha} (a URL or path), for messages that must say where a copy is damaged. */
    default String locate(Sha256 sha) {
        return describe() + "/" + key("", sha);
    }

    /** Whether the remote holds an object of that name (of any size: see {@link #size}). */
    default boolean has(Sha256 sha) {
        return size(sha) >= 0;
    }

    /** The size of the remote's copy of {@code sha} in bytes; -1 when it has none. */
    long size(Sha256 sha);

    /** Every object on the remote with its size: one listing, for checking thousands of objects at once. */
    Map<Sha256, Long> inventory();

    /** The remote copy's bytes, streamed; exit 4 when the remote has none. The caller closes it. */
    InputStream open(Sha256 sha);

    /**
     * Uploads the cache object {@code file}, whose name claims {@code sha}; fails with exit 6 if it does not match.
     * Create-only, unless {@code replace}: then a damaged copy on the remote (wrong size, wrong bytes) is replaced.
     */
    void upload(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace);

    /** Downloads {@code sha} into {@code cache}, verified (size -1: unknown, small); exit 4 when the remote lacks it. */
    void download(Sha256 sha, long size, ArtifactCache cache, String what, ProgressListener progress);

    @Override
    void close();

    static String key(String prefix, Sha256 sha) {
        String k = "objects/" + sha.hex().substring(0, 2) + "/" + sha.hex().substring(2);
        return prefix == null || prefix.isEmpty() ? k : prefix + "/" + k;
    }
}
