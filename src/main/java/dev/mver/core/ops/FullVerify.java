package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code mver verify --all}: every registry tag against its commit, every cache object re-hashed against its name
 * (a mismatch is quarantined), every tracked pointer resolvable to objects in the cache, and which versions
 * nothing this clone can see (the cache, the default remote) can rebuild.
 */
public final class FullVerify {
    private final Workspace ws;
    private final ArtifactService artifacts;
    private final Consumer<String> notice;
    private final RemoteStore remote;

    /** {@code remote} (the default remote; may be null) is where objects missing from the cache may still be. */
    public FullVerify(Workspace ws, ArtifactService artifacts, RemoteStore remote,
                      Consumer<String> notice) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.remote = remote;
        this.notice = notice;
    }

    @JsonPropertyOrder({"ok", "registry", "objects_checked", "corrupt_objects", "pointers_checked",
            "unresolved_pointers"})
    public record Report(boolean ok, VerifyService.Report registry, int objectsChecked, List<String> corruptObjects,
                         int pointersChecked, List<String> unresolvedPointers) {
    }

    public Report verify() {
        List<String> corrupt = new ArrayList<>();
        int objects = 0;
        Path root = ws.cache().root().resolve("objects");
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root, 2)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
                    objects++;
                    Path rel = root.relativize(p);
                    Sha256 sha;
                    try {
                        sha = Sha256.ofHex(rel.getName(0).toString() + rel.getName(rel.getNameCount() - 1));
                    } catch (MverException e) {
                        corrupt.add(rel + ": not an object name");
                        continue;
                    }
                    if (!ws.cache().verify(sha)) {
                        corrupt.add(ws.cache().quarantineCorrupt(sha) + "; " + ArtifactCache.RESTORE_ADVICE);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cache: " + e.getMessage(), e);
            }
        }
        List<String> unresolved = new ArrayList<>();
        int pointers = 0;
        for (RepoPath path : artifacts.trackedArtifacts()) {
            pointers++;
            try {
                PointerFile p = artifacts.readPointer(path);
                if (p == null) {
                    continue;
                }
                String pointerFile = "pointer " + PointerFile.pointerPathOf(path);
                if (!ws.cache().contains(p.sha256())) {
                    unresolved.add(path + ": object " + p.sha256().shortHex() + " is not in the cache");
                } else if (p.type() == ArtifactType.FILE) {
                    ws.cache().requireSize(p.sha256(), p.size(), pointerFile);
                } else {
                    Manifest m = ws.cache().readManifest(p.sha256(), path.value());
                    if (m.totalSize() != p.size()) {
                        unresolved.add(path + ": " + pointerFile + " says " + p.size() + " bytes, but its files total "
                                + m.totalSize());
                    }
                    for (Manifest.Entry e : m.files()) {
                        if (!ws.cache().contains(e.sha256())) {
                            unresolved.add(path + "/" + e.path() + ": object " + e.sha256().shortHex() + " is not in the cache");
                        }
                    }
                }
            } catch (MverException e) {
                unresolved.add(path + ": " + e.getMessage());
            }
        }
        // After the cache is checked: an object quarantined above no longer counts as a copy. Every tag is read
        // again, whatever the event cache remembers.
        VerifyService.Report registry = new VerifyService(ws.repository(), notice).verify(ws.cache(), remote, true);
        boolean ok = registry.ok() && corrupt.isEmpty() && unresolved.isEmpty();
        return new Report(ok, registry, objects, corrupt, pointers, unresolved);
    }
}
