package dev.mver.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Hashing and copying agree with the JDK's digest on both sides of the two-thread pipeline's threshold. The
 * direct-memory counter is the whole JVM's (and the buffer pool is shared), hence {@link Isolated}.
 */
@Isolated
class HashingCopyTest {
    @TempDir
    Path dir;

    @Test
    void hash_and_copy_give_the_files_sha256_and_exact_bytes_at_every_size() throws Exception {
        long[] sizes = {0, 1, HashingCopy.BUFFER_BYTES - 1, HashingCopy.BUFFER_BYTES + 1, HashingCopy.PIPELINE_BYTES - 1,
            HashingCopy.PIPELINE_BYTES, HashingCopy.PIPELINE_BYTES + 12_345, 3 * HashingCopy.PIPELINE_BYTES + 7};
        for (long size : sizes) {
            Path source = Files2.random(dir.resolve("in-" + size), size, size);
            String expected = Files2.sha256(source);
            HashingCopy.Result hashed = HashingCopy.hash(source, ProgressListener.NONE);
            assertEquals(expected, hashed.sha256().hex(), "hash of " + size + " bytes");
            assertEquals(size, hashed.size());
            Path copy = dir.resolve("out-" + size);
            HashingCopy.Result copied = HashingCopy.copy(source, copy, ProgressListener.NONE);
            assertEquals(hashed, copied, "copy of " + size + " bytes");
            assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));
        }
    }

    @Test
    void many_large_files_in_a_row_reuse_the_same_native_buffers() throws Exception {
        Path source = Files2.random(dir.resolve("in"), HashingCopy.PIPELINE_BYTES, 9);
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        HashingCopy.hash(source, ProgressListener.NONE);
        long before = direct.getMemoryUsed();
        for (int i = 0; i < 60; i++) {
            HashingCopy.hash(source, ProgressListener.NONE);
        }
        // Without reuse, 60 files would hold 240 MiB until a garbage collection that may never come.
        assertTrue(direct.getMemoryUsed() - before < (64L << 20), (direct.getMemoryUsed() - before) + " bytes");
    }
}
