package dev.mver.core.store;

import dev.mver.core.io.AtomicFiles;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The local content-addressed store under {@code .mver/cache}: one read-only file per object at
 * {@code objects/ab/cdef...}, named by the SHA-256 of its bytes. Objects are written to a temp file, fsynced and
 * renamed into place; every read that leaves the store re-hashes the bytes, retries once on a mismatch, and then
 * moves the bad object to {@code quarantine/} and fails with exit 6.
 */
public final class ArtifactCache {
    private static final Set<PosixFilePermission> READ_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

    /** The folders of a cache, each created on first use. */
    public static final java.util.List<String> FOLDERS = java.util.List.of("objects", "incoming", "quarantine");

    private final Path root;
    private final Path objects;
    private final Path incoming;
    private final Path quarantine;

    public ArtifactCache(Path root) {
        this.root = root;
        this.objects = root.resolve("objects");
        this.incoming = root.resolve("incoming");
        this.quarantine = root.resolve("quarantine");
    }

    public Path root() {
        return root;
    }

    public Path pathOf(Sha256 sha) {
        return objects.resolve(sha.hex().substring(0, 2)).resolve(sha.hex().substring(2));
    }

    public boolean contains(Sha256 sha) {
        return Files.isRegularFile(pathOf(sha), LinkOption.NOFOLLOW_LINKS);
    }

    /** The size of the object's file; -1 when the cache has no such (regular) file. One stat. */
    public long sizeOf(Sha256 sha) {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(pathOf(sha),
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Copies {@code source} into the store, hashing it on the way: one read of the source. */
    public HashingCopy.Result ingest(Path source, ProgressListener progress) {
        try {
            Files.createDirectories(incoming);
            // The temp file lives in the cache (same file system), so the final rename is atomic.
            Path temp = AtomicFiles.tempBeside(incoming.resolve("object"));
            try {
                HashingCopy.Result result = HashingCopy.copy(source, temp, progress);
                publish(temp, result.sha256());
                return result;
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code source}, already hashed to {@code sha}, an object of the store by hard-linking it in: no copy.
     * The bytes are fsynced first (the pointer about to name them must survive a crash) and the file made
     * read-only, since it now is the object. Returns false, changing nothing, where a link is impossible (another
     * file system) or unsafe (the file has other names); the caller then copies. An object already stored is kept
     * as it is.
     */
    public boolean linkIn(Path source, Sha256 sha) {
        if (contains(sha)) {
            return true;
        }
        try {
            // A file with another name (perhaps outside the repository) is copied: linking it would make that
            // name an object too, read-only and corruptible by a write through it.
            if (((Number) Files.getAttribute(source, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() != 1) {
                return false;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
        try {
            Files.createDirectories(incoming);
            Path temp = AtomicFiles.tempBeside(incoming.resolve("object"));
            try {
                Files.createLink(temp, source);
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
            try {
                try {
                    // Read-only before it becomes an object; a file whose mode we may not change (someone else's)
                    // is copied instead, since nothing would stop a write into the object.
                    Files.setPosixFilePermissions(temp, READ_ONLY);
                } catch (IOException e) {
                    return false;
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: publish says why that is accepted
                }
                try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.READ)) {
                    ch.force(true);
                }
                publish(temp, sha);
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Stores bytes arriving from a remote: hashed while they stream into a temp file, renamed into the cache only
     * when hash and size match {@code expected}; otherwise nothing enters the cache and exit 6 is thrown. A size
     * of -1 (a manifest, known only by hash) accepts up to {@link Json#MAX_DOCUMENT_BYTES}.
     */
    public void ingestVerified(java.io.InputStream in, Sha256 expected, long size, String what,
                               ProgressListener progress) {
        ingestVerified(out -> {
            java.security.MessageDigest digest = Sha256.newDigest();
            long total = 0;
            byte[] buffer = new byte[HashingCopy.BUFFER_BYTES];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(buffer, 0, n);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                total += n;
                progress.advance(n);
                if (total > (size >= 0 ? size : Json.MAX_DOCUMENT_BYTES)) {
                    break;
                }
            }
            return Sha256.of(digest.digest());
        }, expected, size, what);
    }

    /** Writes an object's bytes into a temp file, in any order, and returns the SHA-256 of the whole file. */
    public interface Filler {
        Sha256 fill(java.nio.channels.FileChannel temp) throws IOException;
    }

    /**
     * Stores what {@code filler} writes (parts arriving at once, say) under the same rule: renamed into the cache only
     * when the file's size and the hash the filler took of it match {@code expected}, else exit 6.
     */
    public void ingestVerified(Filler filler, Sha256 expected, long size, String what) {
        try {
            Files.createDirectories(incoming);
            Path temp = AtomicFiles.tempBeside(incoming.resolve("download"));
            try {
                Sha256 got;
                long total;
                try (var out = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                    got = filler.fill(out);
                    total = out.size();
                    out.force(true);
                }
                if ((size >= 0 && total != size) || !got.equals(expected)) {
                    throw new MverException(ExitCode.INTEGRITY, "download of object " + expected.shortHex() + " for "
                            + what + " is corrupt (got " + total + " bytes hashing to " + got.shortHex() + ")");
                }
                publish(temp, expected);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store object " + expected.shortHex() + ": " + e.getMessage(), e);
        }
    }

    /** Stores a small object held in memory (a manifest). */
    public Sha256 ingestBytes(byte[] bytes) {
        Sha256 sha = Sha256.hash(bytes);
        try {
            Files.createDirectories(incoming);
            Path temp = AtomicFiles.tempBeside(incoming.resolve("object"));
            try {
                Files.write(temp, bytes, java.nio.file.StandardOpenOption.CREATE_NEW);
                try (var ch = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                publish(temp, sha);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store object " + sha.shortHex() + ": " + e.getMessage(), e);
        }
        return sha;
    }

    /**
     * Renames a verified temp file into place. An existing object is replaced rather than trusted: the fresh
     * bytes were just hashed, so a corrupt copy already in the cache heals for free.
     */
    private void publish(Path temp, Sha256 sha) throws IOException {
        Path target = pathOf(sha);
        Files.createDirectories(target.getParent());
        try {
            Files.setPosixFilePermissions(temp, READ_ONLY);
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the object stays writable, which only loses a safety net.
        }
        AtomicFiles.moveIntoPlace(temp, target);
    }

    /** The manifest object of a directory artifact, read verified. */
    public Manifest readManifest(Sha256 sha, String what) {
        return Manifest.parse(readSmall(sha, Json.MAX_DOCUMENT_BYTES, "manifest of " + what));
    }

    /** Whether the object is here and, for a directory, every file its manifest names too. */
    public boolean containsWhole(Sha256 sha, ArtifactType type, String what) {
        if (!contains(sha)) {
            return false;
        }
        return type == ArtifactType.FILE
                || readManifest(sha, what).files().stream().allMatch(f -> contains(f.sha256()));
    }

    /** Reads a small object whole, verified against its name. */
    public byte[] readSmall(Sha256 sha, int maxBytes, String what) {
        Path path = requireObject(sha, what);
        for (int attempt = 1; ; attempt++) {
            try {
                if (Files.size(path) > maxBytes) {
                    throw quarantine(sha, what, "is larger than " + maxBytes + " bytes");
                }
                byte[] bytes = Files.readAllBytes(path);
                if (Sha256.hash(bytes).equals(sha)) {
                    return bytes;
                }
                if (attempt == 2) {
                    throw quarantine(sha, what, "does not match its hash");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read object " + sha.shortHex() + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Writes the object's bytes to {@code target} (through a temp file beside it), verifying the hash and size
     * while copying; {@code target} only ever holds verified bytes.
     */
    public void materialize(Sha256 sha, long expectedSize, Path target, String what, ProgressListener progress) {
        Path source = requireObject(sha, what);
        for (int attempt = 1; ; attempt++) {
            Path temp = AtomicFiles.tempBeside(target);
            try {
                try {
                    HashingCopy.Result result = HashingCopy.copy(source, temp, progress);
                    if (result.sha256().equals(sha)) {
                        requireClaimedSize(sha, expectedSize, result.size(), what);
                        AtomicFiles.moveIntoPlace(temp, target);
                        return;
                    }
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
            }
            if (attempt == 2) {
                throw quarantine(sha, what, "does not match its hash");
            }
        }
    }

    /**
     * Puts the object at {@code target} as a hard link (read-only, shared with the cache) after re-hashing it, so
     * checkout reads the bytes once and writes none; falls back to {@link #materialize} where a link is impossible.
     */
    public void materializeLinked(Sha256 sha, long expectedSize, Path target, String what, ProgressListener progress) {
        Path source = requireObject(sha, what);
        Path temp = AtomicFiles.tempBeside(target);
        try {
            try {
                Files.createLink(temp, source);
            } catch (IOException | UnsupportedOperationException e) {
                // Another file system: a verified copy, which reads the object once.
                materialize(sha, expectedSize, target, what, progress);
                return;
            }
            for (int attempt = 1; ; attempt++) {
                HashingCopy.Result result = HashingCopy.hash(source, progress);
                if (result.sha256().equals(sha)) {
                    requireClaimedSize(sha, expectedSize, result.size(), what);
                    break;
                }
                if (attempt == 2) {
                    Files.deleteIfExists(temp);
                    throw quarantine(sha, what, "does not match its hash");
                }
            }
            AtomicFiles.moveIntoPlace(temp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a stray temp link beside the target; it names a read-only object and harms nothing
            }
        }
    }

    /**
     * Moves every object of {@code legacy}, a cache folder of an older layout ({@code .mver/cache} in each work
     * tree), into this cache: a rename each, so no byte is copied on one file system; across file systems each
     * object is copied verified instead. An object both caches hold is kept once. Then the old folder's caches of
     * derived state are dropped and the folder removed when nothing else is left in it. Safe to run in several
     * processes at once: every step is a rename or a delete that tolerates the other having done it first.
     */
    public int adopt(Path legacy) {
        Path from = legacy.resolve("objects");
        int moved = 0;
        java.util.Set<Path> touched = new java.util.HashSet<>();
        if (Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            List<Path> files;
            try (java.util.stream.Stream<Path> walk = Files.walk(from, 2)) {
                files = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the old cache " + legacy + ": " + e.getMessage(), e);
            }
            for (Path file : files) {
                Sha256 sha = objectName(from, file);
                if (sha != null && adoptObject(file, sha)) {
                    moved++;
                    touched.add(pathOf(sha).getParent());
                }
            }
        }
        adoptQuarantine(legacy.resolve("quarantine"));
        touched.forEach(AtomicFiles::fsyncDirectory);
        for (String derived : List.of("stat-cache", "stat-cache.json", "events")) {
            deleteQuietly(legacy.resolve(derived));
        }
        removeEmptyFolders(legacy);
        return moved;
    }

    private boolean adoptObject(Path file, Sha256 sha) {
        Path target = pathOf(sha);
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                // Both claim the same bytes; keep the old one only where the one already here is damaged.
                if (Files.size(target) != Files.size(file) && !verify(sha) && matches(file, sha)) {
                    AtomicFiles.moveIntoPlace(file, target);
                    return true;
                }
                Files.deleteIfExists(file);
                return false;
            }
            Files.createDirectories(target.getParent());
            try {
                Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                // Another file system: a copy, verified like any object entering the cache.
                if (matches(file, sha)) {
                    HashingCopy.Result r = ingest(file, ProgressListener.NONE);
                    if (!r.sha256().equals(sha)) {
                        throw new IOException("object " + sha.shortHex() + " changed while it was moved");
                    }
                }
                Files.deleteIfExists(file);
            }
            return true;
        } catch (java.nio.file.NoSuchFileException e) {
            return false; // another process moved it first
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move object " + sha.shortHex() + " from the old cache "
                    + file.getParent().getParent().getParent() + ": " + e.getMessage(), e);
        }
    }

    private static boolean matches(Path file, Sha256 sha) {
        try {
            return HashingCopy.hash(file, ProgressListener.NONE).sha256().equals(sha);
        } catch (IOException e) {
            return false;
        }
    }

    private void adoptQuarantine(Path from) {
        if (!Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (java.util.stream.Stream<Path> list = Files.list(from)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(quarantine);
                    try {
                        Files.move(p, quarantine.resolve(p.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                    } catch (java.nio.file.AtomicMoveNotSupportedException | java.nio.file.NoSuchFileException e) {
                        // evidence stays where it was
                    }
                }
            }
        } catch (IOException e) {
            // quarantined objects are evidence only; the old folder keeps them
        }
    }

    /** The object a file under {@code objects} stands for by its name; null when the name is not one. */
    public static Sha256 objectName(Path objects, Path file) {
        Path rel = objects.relativize(file);
        if (rel.getNameCount() != 2) {
            return null;
        }
        try {
            return Sha256.ofHex(rel.getName(0).toString() + rel.getName(1));
        } catch (MverException e) {
            return null;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // a derived file; harmless where it is
        }
    }

    /** Removes {@code dir} and folders under it that hold nothing, plus temp files of interrupted writes. */
    private static void removeEmptyFolders(Path dir) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = walk.sorted(java.util.Comparator.reverseOrder()).toList();
            for (Path p : all) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                        && p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
                    deleteQuietly(p);
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try {
                        Files.delete(p);
                    } catch (IOException e) {
                        // not empty: something that is not ours stays
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // left for the next run
        }
    }

    /**
     * Fails unless the object is {@code claimed} bytes long, as {@code claimant} (a pointer, a metadata record, a
     * manifest) says. A sound object that is another size means the claim is wrong (a bad merge, a hand edit):
     * exit 6 naming the claimant, and the object stays where it is. An object that no longer hashes to its name is
     * the one at fault and is quarantined. A missing object is left to the caller.
     */
    public void requireSize(Sha256 sha, long claimed, String claimant) {
        Path path = pathOf(sha);
        long actual;
        try {
            actual = Files.size(path);
        } catch (IOException e) {
            return;
        }
        if (actual == claimed) {
            return;
        }
        if (!verify(sha)) {
            throw quarantine(sha, claimant, "does not match its hash");
        }
        requireClaimedSize(sha, claimed, actual, claimant);
    }

    private static void requireClaimedSize(Sha256 sha, long claimed, long actual, String claimant) {
        if (claimed != actual) {
            throw new MverException(ExitCode.INTEGRITY, claimant + " says " + claimed + " bytes, but object "
                    + sha.shortHex() + " with that hash has " + actual + " bytes: the size in " + claimant
                    + " is wrong (the object is sound and was left in place)");
        }
    }

    /** Re-hashes a stored object; used by verification. */
    public boolean verify(Sha256 sha) {
        try {
            return HashingCopy.hash(pathOf(sha), ProgressListener.NONE).sha256().equals(sha);
        } catch (IOException e) {
            return false;
        }
    }

    /** The next step once a quarantined object has no good copy on the remote. */
    public static final String RESTORE_ADVICE = "to restore it, run mver push --repair in a clone whose cache has a "
            + "good copy, then mver fetch here";

    /** Moves an object that failed verification aside; returns a line naming it and where it went. */
    public String quarantineCorrupt(Sha256 sha) {
        return quarantine(sha, "cache object", "does not match its hash").getMessage();
    }

    private Path requireObject(Sha256 sha, String what) {
        Path path = pathOf(sha);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new MverException(ExitCode.NOT_FOUND, "object " + sha.shortHex() + " for " + what
                    + " is not in the local cache (" + root + ")");
        }
        return path;
    }

    private MverException quarantine(Sha256 sha, String what, String problem) {
        Path from = pathOf(sha);
        Path to = quarantine.resolve(sha.hex() + "-" + Instant.now().toEpochMilli());
        try {
            Files.createDirectories(quarantine);
            Files.move(from, to);
        } catch (IOException e) {
            to = from;
        }
        return new MverException(ExitCode.INTEGRITY, "object " + sha.hex() + " for " + what + " " + problem
                + "; moved to " + to);
    }
}
