package dev.mver.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File helpers for tests: seeded content, hashes, and snapshots of whole trees to prove nothing changed. */
public final class Files2 {
    private Files2() {
    }

    public static Path write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the repository at {@code repo} keeps the cache object {@code sha} (git's common folder). */
    public static Path cacheObject(Path repo, String sha) {
        return repo.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
    }

    /** Removes a folder and everything in it; nothing when it is absent. */
    public static void deleteTree(Path dir) {
        try {
            dev.mver.core.io.FileTrees.delete(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renames {@code from} to {@code to}, as a tool's own rename would. */
    public static Path move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            return Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code size} bytes of seeded pseudo-random data in 1 MiB blocks (constant memory). */
    public static Path random(Path file, long size, long seed) {
        try {
            Files.createDirectories(file.getParent());
            Random random = new Random(seed);
            byte[] block = new byte[1 << 20];
            try (OutputStream out = Files.newOutputStream(file)) {
                long left = size;
                while (left > 0) {
                    random.nextBytes(block);
                    int n = (int) Math.min(block.length, left);
                    out.write(block, 0, n);
                    left -= n;
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String sha256(Path file) {
        try (var in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Bytes the calling thread has read so far (Linux's {@code rchar} in {@code /proc/thread-self/io}): whatever the
     * file permissions and whoever the user (root reads everything), a read shows here. Per thread, so tests
     * running beside it do not count; in-process commands read work-tree files on the thread that runs them.
     */
    public static long bytesReadByThisThread() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/io"))) {
                if (line.startsWith("rchar:")) {
                    return Long.parseLong(line.substring("rchar:".length()).strip());
                }
            }
            throw new AssertionError("no rchar in /proc/thread-self/io");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every file under {@code root} (including .git) with its hash: equal snapshots mean nothing changed. */
    public static Map<String, String> snapshot(Path root) {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.forEach(p -> {
                String rel = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    out.put(rel, "link");
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    // The stat cache is a cache, and git's index may be re-stamped by a read; neither is content.
                    if (!rel.endsWith("stat-cache")) {
                        out.put(rel, sha256(p));
                    }
                } else {
                    out.put(rel + "/", "dir");
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
