package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.LiveFiles;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code mver gc}: removes cache objects nothing can need any more. An object stays while a pointer or metadata
 * record names it in any commit git keeps alive (any branch, remote-tracking branch, tag or stash entry, any work
 * tree's HEAD), in any work tree's index or work tree; while it is younger than a grace period (a concurrent add
 * has stored it but not yet written its pointer); and while the default remote does not have it (unless the user
 * gives up unpushed objects). Temp files left by interrupted writes go too; quarantined objects stay as evidence.
 */
public final class GcService {
    /** The default grace period: longer than any add takes between storing an object and staging its pointer. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    private final Workspace ws;

    /** What gc asks of the default remote; null when there is none. */
    public interface Remote {
        boolean has(Sha256 sha);

        /** Brings these directory artifacts' manifests into the cache. */
        void fetchManifests(List<ArtifactRef> directories);
    }

    public record Options(boolean dryRun, boolean includeUnpushed, Duration grace, boolean force) {
        public Options {
            if (grace.isNegative()) {
                throw MverException.usage("the grace period cannot be negative");
            }
        }
    }

    @JsonPropertyOrder({"dry_run", "kept", "removed", "bytes_removed", "objects", "kept_recent", "kept_unpushed"})
    public record Result(boolean dryRun, int kept, int removed, long bytesRemoved, List<String> objects,
                         int keptRecent, int keptUnpushed) {
    }

    public GcService(Workspace ws) {
        this.ws = ws;
    }

    public Result gc(Options options, Remote remote) {
        if (ws.sharedCacheDir() != null && !options.force()) {
            throw MverException.usage("the cache %s is shared with other clones (git config mver.cacheDir): gc cannot "
                    + "see their branches and could remove what they need; pass --force if nothing else uses it",
                    ws.sharedCacheDir());
        }
        ArtifactCache cache = ws.cache();
        Path objects = cache.root().resolve("objects");
        Map<Sha256, Path> stored = storedObjects(objects);
        Live live = liveObjects(cache);
        if (!live.unknownManifests.isEmpty() && stored.keySet().stream().anyMatch(s -> !live.objects.contains(s))) {
            if (remote != null) {
                remote.fetchManifests(live.unknownManifests);
            }
            live.addManifests(cache);
        }
        long now = System.currentTimeMillis();
        List<String> removed = new ArrayList<>();
        long bytes = 0;
        int recent = 0;
        int unpushed = 0;
        try {
            for (Map.Entry<Sha256, Path> o : stored.entrySet()) {
                if (live.objects.contains(o.getKey())) {
                    continue;
                }
                if (now - changed(o.getValue()) < options.grace().toMillis()) {
                    recent++;
                    continue;
                }
                if (!options.includeUnpushed() && (remote == null || !remote.has(o.getKey()))) {
                    unpushed++;
                    continue;
                }
                bytes += Files.size(o.getValue());
                removed.add(objects.relativize(o.getValue()).toString());
                if (!options.dryRun()) {
                    Files.deleteIfExists(o.getValue());
                }
            }
            if (!options.dryRun()) {
                removeLeftovers(cache.root().resolve("incoming"), now - options.grace().toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean the cache: " + e.getMessage(), e);
        }
        return new Result(options.dryRun(), stored.size() - removed.size(), removed.size(), bytes, removed, recent,
                unpushed);
    }

    private static Map<Sha256, Path> storedObjects(Path objects) {
        Map<Sha256, Path> stored = new LinkedHashMap<>();
        if (!Files.isDirectory(objects)) {
            return stored;
        }
        try (Stream<Path> walk = Files.walk(objects, 2)) {
            for (Path p : (Iterable<Path>) walk.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .sorted()::iterator) {
                Sha256 sha = ArtifactCache.objectName(objects, p);
                if (sha != null) {
                    stored.put(sha, p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache: " + e.getMessage(), e);
        }
        return stored;
    }

    /** When the object entered the cache: its ctime (a rename and the read-only chmod set it), else its mtime. */
    private static long changed(Path object) throws IOException {
        try {
            return ((FileTime) Files.getAttribute(object, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).toMillis();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return Files.getLastModifiedTime(object, LinkOption.NOFOLLOW_LINKS).toMillis();
        }
    }

    private static void removeLeftovers(Path incoming, long before) throws IOException {
        if (!Files.isDirectory(incoming)) {
            return;
        }
        try (Stream<Path> list = Files.list(incoming)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                // Only leftovers: a temp file this old belongs to no running write.
                if (Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis() < before) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The objects live pointers and records need, and the directories whose manifests are not here to say. */
    private static final class Live {
        final Set<Sha256> objects = new HashSet<>();
        final List<ArtifactRef> unknownManifests = new ArrayList<>();

        void add(ArtifactRef r, ArtifactCache cache) {
            if (!objects.add(r.sha256()) || r.type() != ArtifactType.DIR) {
                return;
            }
            if (!cache.contains(r.sha256())) {
                unknownManifests.add(r);
                return;
            }
            try {
                cache.readManifest(r.sha256(), r.path().value()).files().forEach(f -> objects.add(f.sha256()));
            } catch (MverException e) {
                // The read quarantined a corrupt manifest: which files it names is now unknown.
                throw MverException.integrity("gc stopped, nothing was removed: %s", e.getMessage());
            }
        }

        /** Reads the manifests that were missing (now fetched, if the remote had them). */
        void addManifests(ArtifactCache cache) {
            for (ArtifactRef r : unknownManifests) {
                if (!cache.contains(r.sha256())) {
                    throw MverException.notFound("gc cannot tell which objects %s needs: its manifest %s is neither in "
                            + "the cache nor on the default remote; nothing was removed", r.path(), r.sha256().shortHex());
                }
                objects.remove(r.sha256());
                add(r, cache);
            }
            unknownManifests.clear();
        }
    }

    private Live liveObjects(ArtifactCache cache) {
        Live live = new Live();
        LiveFiles.scan(ws.repository(), PointerFile.SUFFIX, Workspace.MODELS_DIR, Json.MAX_DOCUMENT_BYTES)
                .forEach((path, bytes) -> {
                    for (ArtifactRef r : artifactsNamedBy(path, bytes)) {
                        live.add(r, cache);
                    }
                });
        return live;
    }

    /** The artifacts a pointer or metadata record names; none when it is neither, or broken (status reports it). */
    private static List<ArtifactRef> artifactsNamedBy(String path, byte[] bytes) {
        try {
            if (PointerFile.isPointerPath(path)) {
                RepoPath artifact = PointerFile.artifactPathOf(RepoPath.of(path));
                PointerFile p = PointerFile.parse(bytes);
                return List.of(new ArtifactRef(artifact, p.type(), p.sha256(), p.size()));
            }
            if (path.endsWith(".json")) {
                return Metadata.parse(bytes, path).artifacts();
            }
        } catch (MverException e) {
            // not ours, or broken: it names nothing gc can keep
        }
        return List.of();
    }
}
