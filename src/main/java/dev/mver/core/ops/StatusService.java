package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.VersionIndex;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code mver status}: for every tracked artifact, whether its bytes still match its pointer and whether the
 * pointed-to object is in the cache; for every model, which artifacts changed since its latest version. Bytes
 * that differ but are a registered version (the pointer moved with a pull or a branch switch, or an older version
 * was checked out) are named as that version, never taken for new work. Unchanged files are recognised by the
 * stat cache and never re-read, and the registry's hash index is only built when something differs.
 */
public final class StatusService {
    private final Workspace ws;
    private final ArtifactService artifacts;

    public StatusService(Workspace ws, ArtifactService artifacts) {
        this.ws = ws;
        this.artifacts = artifacts;
    }

    /** {@code STALE}: the bytes are another registered version's than the pointer's (a pull or a branch switch). */
    public enum State { OK, MODIFIED, STALE, MISSING, INVALID_POINTER }

    /** {@code holds}: the version the bytes are when they differ from the pointer; {@code wants}: the pointer's. */
    @JsonPropertyOrder({"path", "type", "state", "cached", "holds", "wants", "problem"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ArtifactStatus(String path, String type, String state, boolean cached, String holds, String wants,
                                 String problem) {
    }

    /**
     * {@code changed}: artifacts whose bytes are no version of the model (new work, to register); {@code older}:
     * artifacts whose bytes are an older version of it, by path; {@code untagged}: artifacts whose bytes are the
     * version this branch's record names, newer than any tag this clone has (a pull that brought no tags).
     */
    @JsonPropertyOrder({"model", "latest", "changed", "older", "untagged", "problem"})
    public record ModelStatus(ModelName model, String latest, List<String> changed, Map<String, String> older,
                              Map<String, String> untagged, String problem) {
    }

    @JsonPropertyOrder({"clean", "artifacts", "models"})
    public record Report(boolean clean, List<ArtifactStatus> artifacts, List<ModelStatus> models) {
    }

    public Report status() {
        Map<ArtifactRef, ArtifactRef> current = new HashMap<>();
        List<ArtifactStatus> out = new ArrayList<>();
        boolean clean = true;
        EventLog events = new EventLog(ws.repository());
        VersionIndex index = new VersionIndex(ws.repository(), events);
        try {
            for (RepoPath path : artifacts.trackedArtifacts()) {
                PointerFile pointer;
                try {
                    pointer = artifacts.readPointer(path);
                } catch (MverException e) {
                    out.add(new ArtifactStatus(path.value(), null, "invalid_pointer", false, null, null,
                            e.getMessage()));
                    clean = false;
                    continue;
                }
                if (pointer == null) {
                    continue; // pointer deleted in the work tree: git status shows that
                }
                ArtifactRef wanted = new ArtifactRef(path, pointer.type(), pointer.sha256(), pointer.size());
                ArtifactRef now = currentState(wanted, current);
                State state = now == null ? State.MISSING
                        : now.sha256().equals(pointer.sha256()) && now.type() == pointer.type() ? State.OK : State.MODIFIED;
                TagName holds = null;
                TagName wants = null;
                if (state == State.MODIFIED) {
                    wants = index.versionAt(wanted, null).orElse(null);
                    holds = index.versionAt(now, wants == null ? null : wants.model()).orElse(null);
                    state = holds == null ? State.MODIFIED : State.STALE;
                }
                boolean cached = cached(path, pointer);
                clean &= state == State.OK && cached;
                // 'mver checkout' fetches what the cache lacks, so a stale file's line needs no second one.
                String problem = state == State.STALE ? "holds " + holds + "; pointer wants " + (wants == null
                        ? "object " + pointer.sha256().shortHex() + " (no tag in this clone names it)" : wants)
                        + " (run: mver checkout)"
                        : !cached ? "object " + pointer.sha256().shortHex() + " is not in the local cache"
                        : state == State.MISSING ? "not in the work tree (run: mver checkout)" : null;
                out.add(new ArtifactStatus(path.value(), pointer.type().id(), state.name().toLowerCase(java.util.Locale.ROOT),
                        cached, holds == null ? null : holds.toString(), holds == null || wants == null ? null : wants.toString(),
                        problem));
            }
            List<ModelStatus> models = new ArrayList<>();
            for (Map.Entry<ModelName, List<SemVer>> e : index.versions().entrySet()) {
                SemVer latest = e.getValue().get(e.getValue().size() - 1);
                List<ArtifactRef> registeredArtifacts;
                try {
                    registeredArtifacts = events.registeredArtifacts(new TagName(e.getKey(), latest));
                } catch (MverException ex) {
                    // A tag made by another tool (GTO) or a broken one: report it, keep going (verify explains).
                    models.add(new ModelStatus(e.getKey(), latest.toString(), List.of(), Map.of(), Map.of(),
                            ex.getMessage()));
                    continue;
                }
                List<String> changed = new ArrayList<>();
                Map<String, String> older = new TreeMap<>();
                Map<String, String> newer = new TreeMap<>();
                for (ArtifactRef registered : registeredArtifacts) {
                    ArtifactRef now = currentState(registered, current);
                    PointerFile pointer = safePointer(registered.path());
                    boolean same = (now != null && now.sameContent(registered))
                            || (now == null && pointer != null && pointer.sha256().equals(registered.sha256()));
                    if (same) {
                        continue;
                    }
                    TagName holder = now == null ? null : index.versionAt(now, e.getKey())
                            .filter(t -> !t.version().equals(latest)).orElse(null);
                    TagName untagged = holder != null || now == null ? null : untaggedVersion(e.getKey(), latest, now);
                    if (holder != null) {
                        older.put(registered.path().value(), holder.toString());
                    } else if (untagged != null) {
                        newer.put(registered.path().value(), untagged.toString());
                    } else {
                        changed.add(registered.path().value());
                    }
                }
                clean &= changed.isEmpty() && older.isEmpty() && newer.isEmpty();
                models.add(new ModelStatus(e.getKey(), latest.toString(), changed, older, newer, null));
            }
            events.saveCache();
            return new Report(clean, out, models);
        } finally {
            artifacts.saveStatCache();
        }
    }

    /**
     * The version this branch's record names when it is newer than every tag here and lists {@code now}'s bytes:
     * registered by a teammate whose tags this clone has not fetched. Read only when bytes match no tag.
     */
    private TagName untaggedVersion(ModelName model, SemVer latest, ArtifactRef now) {
        Metadata record = ws.workTreeRecord(model);
        return record != null && record.artifacts().stream().anyMatch(now::sameContent)
                && record.semVer().compareTo(latest) > 0 ? new TagName(model, record.semVer()) : null;
    }

    /** The artifact at {@code recorded}'s path as it is now, compared with that record; each read once. */
    private ArtifactRef currentState(ArtifactRef recorded, Map<ArtifactRef, ArtifactRef> memo) {
        if (!memo.containsKey(recorded)) {
            memo.put(recorded, artifacts.currentState(recorded.path(), recorded));
        }
        return memo.get(recorded);
    }

    private PointerFile safePointer(RepoPath path) {
        try {
            return artifacts.readPointer(path);
        } catch (MverException e) {
            return null;
        }
    }

    private boolean cached(RepoPath path, PointerFile pointer) {
        try {
            return ws.cache().containsWhole(pointer.sha256(), pointer.type(), path.value());
        } catch (MverException e) {
            return false;
        }
    }
}
