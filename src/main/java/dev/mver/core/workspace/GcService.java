package dev.mver.core.workspace;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.MverException;
import dev.mver.core.model.ArtifactRef;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.TagName;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.ArtifactType;
import dev.mver.core.store.PointerFile;
import dev.mver.core.store.RepoPath;
import dev.mver.core.store.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code mver gc}: removes cache objects that no registered version (and so no stage), no tracked pointer and no
 * work-tree pointer needs, and temp files left by interrupted writes. Quarantined objects are kept as evidence.
 */
public final class GcService {
    private final Workspace ws;
    private final ArtifactService artifacts;

    public GcService(Workspace ws, ArtifactService artifacts) {
        this.ws = ws;
        this.artifacts = artifacts;
    }

    @JsonPropertyOrder({"dry_run", "kept", "removed", "bytes_removed", "objects"})
    public record Result(boolean dryRun, int kept, int removed, long bytesRemoved, List<String> objects) {
    }

    public Result gc(boolean dryRun) {
        Set<Sha256> live = liveObjects();
        List<String> removed = new ArrayList<>();
        long bytes = 0;
        int kept = 0;
        Path objects = ws.cache().root().resolve("objects");
        if (Files.isDirectory(objects)) {
            try (Stream<Path> walk = Files.walk(objects, 2)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    Sha256 sha = ArtifactCache.objectName(objects, p);
                    if (sha != null && live.contains(sha)) {
                        kept++;
                        continue;
                    }
                    bytes += Files.size(p);
                    removed.add(objects.relativize(p).toString());
                    if (!dryRun) {
                        Files.delete(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot clean the cache: " + e.getMessage(), e);
            }
        }
        Path incoming = ws.cache().root().resolve("incoming");
        if (!dryRun && Files.isDirectory(incoming)) {
            try (Stream<Path> list = Files.list(incoming)) {
                for (Path p : (Iterable<Path>) list::iterator) {
                    // Only leftovers: a temp file this old belongs to no running write.
                    if (Files.getLastModifiedTime(p).toMillis() < System.currentTimeMillis() - 3_600_000L) {
                        Files.deleteIfExists(p);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Result(dryRun, kept, removed.size(), bytes, removed);
    }

    private Set<Sha256> liveObjects() {
        Set<ArtifactRef> roots = new HashSet<>();
        GitRegistry registry = new GitRegistry(ws.repository());
        for (TagName t : registry.versionTags()) {
            try {
                roots.addAll(registry.read(t).payload().artifacts());
            } catch (MverException e) {
                // a foreign or broken tag names no objects of ours
            }
        }
        for (RepoPath p : artifacts.trackedArtifacts()) {
            try {
                PointerFile pointer = artifacts.readPointer(p);
                if (pointer != null) {
                    roots.add(new ArtifactRef(p, pointer.type(), pointer.sha256(), pointer.size()));
                }
            } catch (MverException e) {
                // malformed pointer: status reports it
            }
        }
        Set<Sha256> live = new HashSet<>();
        for (ArtifactRef r : roots) {
            live.add(r.sha256());
            if (r.type() == ArtifactType.DIR && !ws.cache().contains(r.sha256())) {
                throw MverException.notFound("gc cannot tell which objects %s needs: its manifest %s is not in the "
                        + "cache (mver fetch first); nothing was removed", r.path(), r.sha256().shortHex());
            }
            if (r.type() == ArtifactType.DIR) {
                try {
                    ws.cache().readManifest(r.sha256(), r.path().value()).files().forEach(f -> live.add(f.sha256()));
                } catch (MverException e) {
                    // a corrupt manifest was quarantined by the read; its files stay until it is fixed
                    throw MverException.integrity("gc stopped: %s", e.getMessage());
                }
            }
        }
        return live;
    }
}
