package dev.mver.core.ops;

import dev.mver.core.io.SafeTree;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.HashingCopy;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/** Re-hashes a rebuilt release on disk against the artifact list of its metadata. */
public final class ReleaseVerifier {
    private final ArtifactCache cache;

    public ReleaseVerifier(ArtifactCache cache) {
        this.cache = cache;
    }

    public record Verified(int files, long bytes) {
    }

    public Verified verify(Path dir, List<ArtifactRef> artifacts) {
        SafeTree tree = new SafeTree(dir);
        int files = 0;
        long bytes = 0;
        for (ArtifactRef a : artifacts) {
            if (a.type() == ArtifactType.FILE) {
                check(tree, a.path(), a.sha256(), a.size());
                files++;
                bytes += a.size();
                continue;
            }
            Manifest m = cache.readManifest(a.sha256(), a.path().value());
            for (Manifest.Entry e : m.files()) {
                check(tree, a.path().resolve(e.path()), e.sha256(), e.size());
                files++;
                bytes += e.size();
            }
        }
        return new Verified(files, bytes);
    }

    private static void check(SafeTree tree, RepoPath path, Sha256 sha, long size) {
        Path file = tree.resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.notFound("%s is missing from %s", path, tree.root());
        }
        try {
            HashingCopy.Result r = HashingCopy.hash(file, ProgressListener.NONE);
            if (!r.sha256().equals(sha) || r.size() != size) {
                throw MverException.integrity("%s in %s does not match its recorded hash", path, tree.root());
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
