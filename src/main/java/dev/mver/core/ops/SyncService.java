package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.GitDirs;
import dev.mver.core.git.RefNames;
import dev.mver.core.git.RegistrySync;
import dev.mver.core.git.TagWriter;
import dev.mver.core.io.CrashPoints;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.remote.TransferService;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;

/**
 * {@code push}, {@code fetch} and {@code pull}: objects first, refs second on the way out, so nobody can fetch a
 * tag whose bytes are missing; refs first, objects second on the way in.
 */
public final class SyncService {
    private final Workspace ws;
    private final RemoteStore store;
    private final TransferService transfer;
    private final RegistrySync git;
    private final ArtifactService artifacts;
    private final java.util.function.Consumer<String> notice;

    public SyncService(Workspace ws, RemoteStore store, TransferService transfer, RegistrySync git,
                       ArtifactService artifacts, java.util.function.Consumer<String> notice) {
        this.ws = ws;
        this.store = store;
        this.transfer = transfer;
        this.git = git;
        this.artifacts = artifacts;
        this.notice = notice;
    }

    @JsonPropertyOrder({"objects", "git_remote", "refs"})
    public record Result(TransferService.Result objects, String gitRemote, List<String> refs) {
    }

    /**
     * {@code repair}: re-hash every remote copy too, and replace those that do not match. {@code retry}: renumber
     * unpushed events that another clone's pushed events took the numbers of, then push.
     */
    public Result push(List<VersionSpec> specs, String gitRemote, boolean objectsOnly, boolean repair,
                       boolean retry) {
        List<TagName> versions = versions(specs);
        List<ArtifactRef> refs = artifactsOf(versions);
        if (specs.isEmpty()) {
            refs.addAll(workTreeArtifacts());
        }
        List<TransferService.Needed> files = new ArrayList<>();
        List<TransferService.Needed> manifests = new ArrayList<>();
        for (ArtifactRef a : dedupe(refs)) {
            if (!present(a)) {
                long there = store.size(a.sha256());
                if (there >= 0 && (a.type() != ArtifactType.FILE || there == a.size())) {
                    continue; // pushed from another clone; its bytes are already safe
                }
                if (there >= 0) {
                    throw MverException.integrity("object %s for %s has %d bytes on %s, not %d, and this clone's "
                            + "cache has no copy to replace it with; push it from a clone that has it (mver verify "
                            + "--remote lists every version it breaks)", a.sha256().shortHex(), a.path(), there,
                            store.describe(), a.size());
                }
                throw MverException.notFound("object %s for %s is neither in the local cache nor on %s",
                        a.sha256().shortHex(), a.path(), store.describe());
            }
            for (TransferService.Needed n : transfer.localObjects(List.of(a))) {
                (n.what().startsWith("manifest of ") ? manifests : files).add(n);
            }
        }
        // Files before the manifests that name them: a manifest on the remote implies its files are there.
        TransferService.Result a = transfer.push(files, repair);
        TransferService.Result b = transfer.push(manifests, repair);
        TransferService.Result objects = new TransferService.Result(a.remote(), a.objects() + b.objects(),
                a.transferred() + b.transferred(), a.alreadyThere() + b.alreadyThere(), a.bytes() + b.bytes());
        if (objectsOnly || !git.hasRemote(gitRemote)) {
            return new Result(objects, objectsOnly ? null : "(none)", List.of());
        }
        Map<String, ObjectId> leases = eventNumbersChecked(versions, specs.isEmpty(), gitRemote, retry);
        Set<String> refNames = new LinkedHashSet<>(registryRefs(versions, specs.isEmpty()));
        refNames.add(TagWriter.currentBranch(ws.repository()));
        CrashPoints.reached("push: objects sent, refs not pushed");
        Path marker = pushMarker(ws);
        try {
            // The pre-push hook git runs inside this push reads it: it need not report objects we just sent.
            Files.createDirectories(marker.getParent());
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            // only costs a second summary line from the hook
        }
        try {
            return new Result(objects, gitRemote, git.push(gitRemote, refNames, leases));
        } finally {
            try {
                Files.deleteIfExists(marker);
            } catch (IOException e) {
                // a marker whose process is gone is never believed
            }
        }
    }

    /**
     * For a plain {@code git push} (the pre-push hook): refuses (exit 5) when this clone's registry events of
     * {@code models} (every model when empty) are not numbered after the events already on {@code gitRemote}, as
     * {@code mver push} does before it pushes; nothing is pushed or changed. Plain git moves no event counter, so only {@code mver push} also guards against a push
     * racing the check.
     */
    public static void checkEventNumbers(Workspace ws, RegistrySync git, String gitRemote,
                                         java.util.Collection<ModelName> models) {
        List<TagName> none = List.of();
        eventNumbersChecked(ws, git, line -> {
        }, none, models, models.isEmpty(), gitRemote, false);
    }

    /**
     * Refuses (exit 5) to publish events numbered at or below events already on the remote (two clones numbered
     * events alike), or under {@code retry} renumbers them first; returns the leases that make the remote's event
     * counters move only from what was just seen there, so a push that raced this check is refused too.
     */
    private Map<String, ObjectId> eventNumbersChecked(List<TagName> versions, boolean all, String gitRemote,
                                                      boolean retry) {
        return eventNumbersChecked(ws, git, notice, versions, List.of(), all, gitRemote, retry);
    }

    private static Map<String, ObjectId> eventNumbersChecked(Workspace ws, RegistrySync git,
                                                             java.util.function.Consumer<String> notice,
                                                             List<TagName> versions,
                                                             java.util.Collection<ModelName> named, boolean all,
                                                             String gitRemote, boolean retry) {
        Set<ModelName> models = new LinkedHashSet<>(named);
        versions.forEach(v -> models.add(v.model()));
        if (all) {
            // Names only: each model's events are read once, by the numbering, and only for these models.
            RefNames.list(ws.repository(), Constants.R_TAGS).forEach(name -> {
                EventTag t = EventTag.parseOrNull(name);
                if (t != null) {
                    models.add(t.model());
                }
            });
        }
        Map<String, ObjectId> remote = git.remoteRefs(gitRemote);
        EventNumbering numbering = new EventNumbering(ws.repository());
        List<EventNumbering.Collision> collisions = numbering.collisions(models, remote);
        if (!collisions.isEmpty()) {
            EventNumbering.Collision c = collisions.get(0);
            if (!retry) {
                throw MverException.conflict("event %d of %s (%s) is not after the events already on '%s' (%s): "
                        + "another clone pushed events of %s first; run 'mver push --retry' to renumber your unpushed "
                        + "events after theirs", c.number(), c.model(), c.tag(), gitRemote, c.remoteMax() < 0
                        ? "it has events this clone has not fetched" : "up to " + c.remoteMax(), c.model());
            }
            numbering.retry(collisions, remote, () -> git.fetch(gitRemote), notice)
                    .forEach(line -> notice.accept("renumbered " + line));
        }
        Map<String, ObjectId> leases = new java.util.LinkedHashMap<>();
        numbering.counters(models, remote).forEach((counter, ids) -> leases.put(counter, ids[1]));
        return leases;
    }

    /**
     * Whether this process is the pre-push hook of an {@code mver push} (which named itself in the marker it
     * wrote and is one of our ancestors): a marker left by a crash names a process that is not our ancestor.
     */
    public static boolean runByMverPush(Workspace ws) {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pushMarker(ws)).strip());
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        java.util.Optional<ProcessHandle> p = ProcessHandle.current().parent();
        for (int depth = 0; depth < 8 && p.isPresent(); depth++, p = p.get().parent()) {
            if (p.get().pid() == pid) {
                return true;
            }
        }
        return false;
    }

    private static Path pushMarker(Workspace ws) {
        return GitDirs.ownWorkTree(ws.repository()).resolve("pushing");
    }

    public Result fetch(List<VersionSpec> specs, String gitRemote) {
        List<String> updated = git.hasRemote(gitRemote) ? git.fetch(gitRemote) : List.of();
        List<ArtifactRef> refs = specs.isEmpty() ? workTreeArtifacts() : artifactsOf(versions(specs));
        return new Result(transfer.fetch(dedupe(refs)), git.hasRemote(gitRemote) ? gitRemote : "(none)", updated);
    }

    private boolean present(ArtifactRef a) {
        return ws.cache().contains(a.sha256());
    }

    private List<TagName> versions(List<VersionSpec> specs) {
        GitRegistry registry = new GitRegistry(ws.repository());
        List<TagName> out = new ArrayList<>();
        if (specs.isEmpty()) {
            out.addAll(registry.versionTags());
            return out;
        }
        for (VersionSpec s : specs) {
            if (s.hasVersion() || s.stage() != null) {
                out.add(registry.resolve(s));
            } else {
                List<SemVer> all = registry.versions(s.model());
                if (all.isEmpty()) {
                    throw MverException.notFound("model '%s' has no registered versions", s.model());
                }
                all.forEach(v -> out.add(new TagName(s.model(), v)));
            }
        }
        return out;
    }

    private List<ArtifactRef> artifactsOf(List<TagName> versions) {
        GitRegistry registry = new GitRegistry(ws.repository());
        List<ArtifactRef> out = new ArrayList<>();
        for (TagName t : versions) {
            out.addAll(registry.artifacts(registry.readAny(t)));
        }
        return out;
    }

    private List<ArtifactRef> workTreeArtifacts() {
        List<ArtifactRef> out = new ArrayList<>();
        for (RepoPath p : artifacts.trackedArtifacts()) {
            PointerFile pointer = artifacts.readPointer(p);
            if (pointer != null) {
                out.add(new ArtifactRef(p, pointer.type(), pointer.sha256(), pointer.size()));
            }
        }
        return out;
    }

    private static List<ArtifactRef> dedupe(List<ArtifactRef> refs) {
        List<ArtifactRef> out = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (ArtifactRef r : refs) {
            if (seen.add(r.sha256().hex() + (r.type() == ArtifactType.DIR ? "/" : ""))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Every registry tag of the models involved (versions, stage events, deprecations). */
    private List<String> registryRefs(List<TagName> versions, boolean all) {
        Set<ModelName> models = new LinkedHashSet<>();
        versions.forEach(v -> models.add(v.model()));
        try {
            List<String> out = new ArrayList<>();
            for (Ref ref : ws.repository().getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                EventTag t = EventTag.parseOrNull(ref.getName());
                if (t != null && (all || models.contains(t.model()))) {
                    out.add(ref.getName());
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
