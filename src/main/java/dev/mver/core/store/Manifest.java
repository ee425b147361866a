package dev.mver.core.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The object that stands for a directory artifact: every file's relative path, hash and size, sorted by path.
 * Paths are {@link RepoPath}s, so a manifest cannot name a file outside its directory, and case-folded
 * duplicates are refused because they would overwrite each other on macOS and Windows.
 */
@JsonPropertyOrder({"schema", "files", "dirs"})
public record Manifest(String schema, List<Entry> files,
                       @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RepoPath> dirs) {
    public static final String SCHEMA = "mver/manifest/v1";

    /**
     * One file; {@code executable} as git records it (the owner's execute bit), written only when true so a
     * manifest of plain files is byte for byte what earlier versions wrote.
     */
    @JsonPropertyOrder({"path", "sha256", "size", "executable"})
    public record Entry(RepoPath path, Sha256 sha256, long size,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) Boolean executable) {
        public Entry {
            if (path == null || sha256 == null || size < 0) {
                throw MverException.invalid("manifest entry needs path, sha256 and a size");
            }
            executable = Boolean.TRUE.equals(executable); // absent in manifests of plain files
        }

        public Entry(RepoPath path, Sha256 sha256, long size) {
            this(path, sha256, size, false);
        }
    }

    /**
     * {@code dirs} are the folders that hold nothing at all (git cannot keep them, a saved model may need them);
     * every other folder is implied by the files in it.
     */
    public Manifest {
        if (!SCHEMA.equals(schema)) {
            throw MverException.invalid("manifest schema must be \"" + SCHEMA + "\"");
        }
        files = List.copyOf(files);
        dirs = dirs == null ? List.of() : List.copyOf(dirs);
        Set<String> folded = new HashSet<>();
        RepoPath previous = null;
        for (Entry e : files) {
            if (previous != null && previous.compareTo(e.path()) >= 0) {
                throw MverException.invalid("manifest paths are not sorted and unique at " + e.path());
            }
            if (!folded.add(e.path().foldedKey())) {
                throw MverException.invalid("manifest has paths that differ only in case: " + e.path());
            }
            previous = e.path();
        }
        previous = null;
        Set<String> emptyDirs = new HashSet<>();
        for (RepoPath d : dirs) {
            if (previous != null && previous.compareTo(d) >= 0) {
                throw MverException.invalid("manifest folders are not sorted and unique at " + d);
            }
            if (folded.contains(d.foldedKey()) || !emptyDirs.add(d.foldedKey())) {
                throw MverException.invalid("manifest names " + d + " twice");
            }
            previous = d;
        }
        // A file and a folder of the same name cannot both exist, and an empty folder holds nothing.
        for (Entry e : files) {
            for (RepoPath p = e.path().parent(); p != null; p = p.parent()) {
                if (folded.contains(p.foldedKey())) {
                    throw MverException.invalid("manifest uses " + p + " as both a file and a folder");
                }
                if (emptyDirs.contains(p.foldedKey())) {
                    throw MverException.invalid("manifest lists " + p + " as empty, but it holds " + e.path());
                }
            }
        }
        for (RepoPath d : dirs) {
            for (RepoPath p = d.parent(); p != null; p = p.parent()) {
                if (emptyDirs.contains(p.foldedKey()) || folded.contains(p.foldedKey())) {
                    throw MverException.invalid("manifest lists " + p + " as empty or a file, but it holds " + d);
                }
            }
        }
    }

    public static Manifest of(List<Entry> files) {
        return of(files, List.of());
    }

    public static Manifest of(List<Entry> files, List<RepoPath> emptyDirs) {
        return new Manifest(SCHEMA, files.stream().sorted(java.util.Comparator.comparing(Entry::path)).toList(),
                emptyDirs.stream().sorted().toList());
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
