package dev.mver.core.ops;

import dev.mver.core.remote.RemoteStore;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.Manifest;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Every object the registry's versions need, and which versions need each: a file artifact's object, and for a
 * directory its manifest and the manifest's files. Manifests are read from the local cache, or else from the remote
 * being checked; one found nowhere leaves its files unknown, and its version unrecoverable.
 */
final class RegistryObjects {
    /** One object: its size (-1 when only its name is known: a manifest read from nowhere) and who needs it. */
    record Need(Sha256 sha, long size, List<String> users) {
    }

    /** The objects, and for each version (tag) the objects it needs. */
    record Needs(Map<Sha256, Need> objects, Map<TagName, List<Sha256>> byVersion) {
        /**
         * The versions with an object that has a good copy neither in {@code cache} nor, as {@code onRemote} says,
         * on the remote {@code remote} (null: there is none to look on), each named with the first such object.
         */
        List<String> unrecoverable(ArtifactCache cache, Predicate<Need> onRemote, String remote) {
            Map<Sha256, Boolean> somewhere = new HashMap<>();
            List<String> out = new ArrayList<>();
            for (Map.Entry<TagName, List<Sha256>> v : byVersion.entrySet()) {
                for (Sha256 sha : v.getValue()) {
                    Need n = objects.get(sha);
                    if (!somewhere.computeIfAbsent(sha, k -> inCache(cache, n) || remote != null && onRemote.test(n))) {
                        out.add(v.getKey() + ": object " + sha.shortHex() + " (" + n.users().get(0) + ") is neither in "
                                + "this clone's cache (" + cache.pathOf(sha) + ") nor " + (remote == null
                                ? "on a remote (none is the default)" : "on " + remote)
                                + "; push it from a clone that has it, or the version cannot be rebuilt");
                        break;
                    }
                }
            }
            return out;
        }
    }

    /**
     * The versions with an object that has a good copy neither in {@code cache} nor on {@code remote} (null: none
     * to look on), which is listed once and only when the cache lacks something; null when the remote does not
     * answer (a notice says so), as nothing can then be concluded.
     */
    static List<String> unrecoverable(Map<TagName, List<ArtifactRef>> versions, ArtifactCache cache,
                                      RemoteStore remote, Consumer<String> notice) {
        try {
            AtomicReference<Map<Sha256, Long>> listed = new AtomicReference<>();
            return of(versions, cache, remote).unrecoverable(cache, n -> {
                Long there = listed.updateAndGet(m -> m != null ? m : remote.inventory()).get(n.sha());
                return there != null && (n.size() < 0 || there == n.size());
            }, remote == null ? null : remote.describe());
        } catch (MverException e) {
            if (e.exitCode() != ExitCode.REMOTE) {
                throw e;
            }
            notice.accept("which versions cannot be rebuilt was not checked: " + e.getMessage());
            return null;
        }
    }

    /** The cache holds the object at the right size (its bytes are checked by every read that uses it). */
    static boolean inCache(ArtifactCache cache, Need n) {
        long size = cache.sizeOf(n.sha());
        return size >= 0 && (n.size() < 0 || size == n.size());
    }

    private RegistryObjects() {
    }

    /** What {@code versions} (each readable version's artifacts, as verify read them) need. */
    static Needs of(Map<TagName, List<ArtifactRef>> versions, ArtifactCache cache, RemoteStore remote) {
        Map<Sha256, Need> objects = new LinkedHashMap<>();
        Map<TagName, List<Sha256>> byVersion = new LinkedHashMap<>();
        versions.forEach((tag, artifacts) -> {
            List<Sha256> needed = new ArrayList<>();
            for (ArtifactRef a : artifacts) {
                String user = tag + " " + a.path();
                if (a.type() == ArtifactType.FILE) {
                    add(objects, needed, a.sha256(), a.size(), user);
                    continue;
                }
                add(objects, needed, a.sha256(), -1, user + " (manifest)");
                Manifest manifest = manifest(cache, remote, a);
                if (manifest != null) {
                    for (Manifest.Entry e : manifest.files()) {
                        add(objects, needed, e.sha256(), e.size(), user + "/" + e.path());
                    }
                }
            }
            byVersion.put(tag, needed);
        });
        return new Needs(objects, byVersion);
    }

    private static void add(Map<Sha256, Need> objects, List<Sha256> needed, Sha256 sha, long size, String user) {
        objects.computeIfAbsent(sha, k -> new Need(sha, size, new ArrayList<>())).users().add(user);
        needed.add(sha);
    }

    /** A directory's manifest, from the cache or the remote; null when neither has a sound one. */
    private static Manifest manifest(ArtifactCache cache, RemoteStore remote, ArtifactRef dir) {
        if (cache.contains(dir.sha256())) {
            try {
                return cache.readManifest(dir.sha256(), dir.path().value());
            } catch (MverException e) {
                // a corrupt local copy (quarantined by the read): the remote's may still be good
            }
        }
        if (remote == null || !remote.has(dir.sha256())) {
            return null;
        }
        try (InputStream in = remote.open(dir.sha256())) {
            byte[] bytes = in.readNBytes(Json.MAX_DOCUMENT_BYTES + 1);
            return bytes.length <= Json.MAX_DOCUMENT_BYTES && Sha256.hash(bytes).equals(dir.sha256())
                    ? Manifest.parse(bytes) : null;
        } catch (IOException | MverException e) {
            return null;
        }
    }
}
