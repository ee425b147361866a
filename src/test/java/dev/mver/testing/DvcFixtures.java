package dev.mver.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * DVC's files as DVC writes them (its documented formats: .dvc files, dvc.lock schema 2.0, dvc.yaml artifacts, the
 * cache under .dvc/cache/files/md5 since DVC 3 and .dvc/cache before, directory listings as .dir JSON); DVC itself
 * cannot be installed here.
 */
public final class DvcFixtures {
    private DvcFixtures() {
    }

    public static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code dvc init}'s files. */
    public static void init(Path repo) {
        Files2.write(repo.resolve(".dvc/config"), "");
        Files2.write(repo.resolve(".dvc/.gitignore"), "/config.local\n/tmp\n/cache\n");
        Files2.write(repo.resolve(".dvcignore"), "# Add patterns of files dvc should ignore\n");
    }

    /** {@code bytes} in DVC's cache (DVC 3's layout, or DVC 2's with {@code v2}); returns their MD5. */
    public static String cache(Path repo, byte[] bytes, boolean v2) {
        String md5 = md5(bytes);
        Path dir = v2 ? repo.resolve(".dvc/cache") : repo.resolve(".dvc/cache/files/md5");
        Path file = dir.resolve(md5.substring(0, 2)).resolve(md5.substring(2));
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return md5;
    }

    /** A directory's files in the cache and its listing (json.dumps of the entries sorted by relpath); its hash. */
    public static String cacheDir(Path repo, Map<String, byte[]> files) {
        StringBuilder listing = new StringBuilder("[");
        for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
            listing.append(listing.length() > 1 ? ", " : "").append("{\"md5\": \"").append(cache(repo, f.getValue(),
                    false)).append("\", \"relpath\": \"").append(f.getKey()).append("\"}");
        }
        listing.append(']');
        byte[] bytes = listing.toString().getBytes(StandardCharsets.UTF_8);
        String md5 = md5(bytes) + ".dir"; // cached under its hash with the suffix, as DVC names it
        Files2.write(repo.resolve(".dvc/cache/files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2)),
                listing.toString());
        return md5;
    }

    /** A .dvc file for one output, as {@code dvc add} writes it (DVC 3; {@code v2} leaves out {@code hash}). */
    public static void dvcFile(Path file, String md5, long size, Integer nfiles, String path, boolean v2) {
        Files2.write(file, "outs:\n- md5: " + md5 + "\n  size: " + size + "\n"
                + (nfiles == null ? "" : "  nfiles: " + nfiles + "\n") + (v2 ? "" : "  hash: md5\n")
                + "  path: " + path + "\n");
    }
}
