package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One artifact of a version: where it sits in the repository, whether it is a file or a directory, and the hash
 * and size of its bytes (for a directory, the hash of its manifest object and the total size of its files).
 */
@JsonPropertyOrder({"path", "type", "sha256", "size"})
public record ArtifactRef(RepoPath path, ArtifactType type, Sha256 sha256, long size) {
    public ArtifactRef {
        if (path == null || type == null || sha256 == null) {
            throw MverException.invalid("artifact needs path, type and sha256");
        }
        if (path.inMverFolder()) {
            throw MverException.invalid("artifact path '" + path + "' is inside mver's own folder .mver");
        }
        if (size < 0) {
            throw MverException.invalid("artifact size cannot be negative");
        }
    }

    /** Same bytes at the same place. */
    public boolean sameContent(ArtifactRef other) {
        return path.equals(other.path) && type == other.type && sha256.equals(other.sha256);
    }

    // Written out, as in every value status compares: a record's generated equals and hashCode set up method
    // handles on first use, which cost status a fifth of its own time.
    @Override
    public boolean equals(Object o) {
        return o instanceof ArtifactRef other && sameContent(other) && size == other.size;
    }

    @Override
    public int hashCode() {
        return (path.hashCode() * 31 + sha256.hashCode()) * 31 + Long.hashCode(size);
    }
}
