package dev.mver.core.store;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.ExitCode;
import dev.mver.core.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The object that stands for a directory artifact: every file's relative path, hash and size, sorted by path.
 * Paths are {@link RepoPath}s, so a manifest cannot name a file outside its directory, and case-folded
 * duplicates are refused because they would overwrite each other on macOS and Windows.
 */
@JsonPropertyOrder({"schema", "files"})
public record Manifest(String schema, List<Entry> files) {
    public static final String SCHEMA = "mver/manifest/v1";

    @JsonPropertyOrder({"path", "sha256", "size"})
    public record Entry(RepoPath path, Sha256 sha256, long size) {
        public Entry {
            if (path == null || sha256 == null || size < 0) {
                throw new IllegalArgumentException("manifest entry needs path, sha256 and a size");
            }
        }
    }

    public Manifest {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("manifest schema must be \"" + SCHEMA + "\"");
        }
        files = List.copyOf(files);
        Set<String> folded = new HashSet<>();
        RepoPath previous = null;
        for (Entry e : files) {
            if (previous != null && previous.compareTo(e.path()) >= 0) {
                throw new IllegalArgumentException("manifest paths are not sorted and unique at " + e.path());
            }
            if (!folded.add(e.path().foldedKey())) {
                throw new IllegalArgumentException("manifest has paths that differ only in case: " + e.path());
            }
            previous = e.path();
        }
        // A file and a folder of the same name cannot both exist.
        for (Entry e : files) {
            for (RepoPath p = e.path().parent(); p != null; p = p.parent()) {
                if (folded.contains(p.foldedKey())) {
                    throw new IllegalArgumentException("manifest uses " + p + " as both a file and a folder");
                }
            }
        }
    }

    public static Manifest of(List<Entry> files) {
        return new Manifest(SCHEMA, files.stream().sorted(java.util.Comparator.comparing(Entry::path)).toList());
    }

    public long totalSize() {
        return files.stream().mapToLong(Entry::size).sum();
    }

    public byte[] toBytes() {
        return Json.canonicalBytes(this);
    }

    public static Manifest parse(byte[] bytes) {
        return Json.parse(bytes, Manifest.class, "manifest", ExitCode.INTEGRITY);
    }
}
