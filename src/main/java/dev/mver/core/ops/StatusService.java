package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
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

/**
 * {@code mver status}: for every tracked artifact, whether its bytes still match its pointer and whether the
 * pointed-to object is in the cache; for every model, which artifacts changed since its latest version.
 * Unchanged files are recognised by the stat cache and never re-read.
 */
public final class StatusService {
    private final Workspace ws;
    private final ArtifactService artifacts;

    public StatusService(Workspace ws, ArtifactService artifacts) {
        this.ws = ws;
        this.artifacts = artifacts;
    }

    public enum State { OK, MODIFIED, MISSING, INVALID_POINTER }

    @JsonPropertyOrder({"path", "type", "state", "cached", "problem"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ArtifactStatus(String path, String type, String state, boolean cached, String problem) {
    }

    @JsonPropertyOrder({"model", "latest", "changed", "problem"})
    public record ModelStatus(ModelName model, String latest, List<String> changed, String problem) {
    }

    @JsonPropertyOrder({"clean", "artifacts", "models"})
    public record Report(boolean clean, List<ArtifactStatus> artifacts, List<ModelStatus> models) {
    }

    public Report status() {
        Map<ArtifactRef, ArtifactRef> current = new HashMap<>();
        List<ArtifactStatus> out = new ArrayList<>();
        boolean clean = true;
        try {
            for (RepoPath path : artifacts.trackedArtifacts()) {
                PointerFile pointer;
                try {
                    pointer = artifacts.readPointer(path);
                } catch (MverException e) {
                    out.add(new ArtifactStatus(path.value(), null, "invalid_pointer", false, e.getMessage()));
                    clean = false;
                    continue;
                }
                if (pointer == null) {
                    continue; // pointer deleted in the work tree: git status shows that
                }
                ArtifactRef now = currentState(new ArtifactRef(path, pointer.type(), pointer.sha256(), pointer.size()),
                        current);
                State state = now == null ? State.MISSING
                        : now.sha256().equals(pointer.sha256()) && now.type() == pointer.type() ? State.OK : State.MODIFIED;
                boolean cached = cached(path, pointer);
                clean &= state == State.OK && cached;
                out.add(new ArtifactStatus(path.value(), pointer.type().id(), state.name().toLowerCase(java.util.Locale.ROOT),
                        cached, cached ? null : "object " + pointer.sha256().shortHex() + " is not in the local cache"));
            }
            List<ModelStatus> models = new ArrayList<>();
            GitRegistry registry = new GitRegistry(ws.repository());
            EventLog events = EventLog.remembering(ws.repository());
            for (Map.Entry<ModelName, List<SemVer>> e : registry.models().entrySet()) {
                SemVer latest = e.getValue().get(e.getValue().size() - 1);
                List<ArtifactRef> registeredArtifacts;
                try {
                    registeredArtifacts = events.registeredArtifacts(new TagName(e.getKey(), latest));
                } catch (MverException ex) {
                    // A tag made by another tool (GTO) or a broken one: report it, keep going (verify explains).
                    models.add(new ModelStatus(e.getKey(), latest.toString(), List.of(), ex.getMessage()));
                    continue;
                }
                List<String> changed = new ArrayList<>();
                for (ArtifactRef registered : registeredArtifacts) {
                    ArtifactRef now = currentState(registered, current);
                    PointerFile pointer = safePointer(registered.path());
                    boolean same = (now != null && now.sameContent(registered))
                            || (now == null && pointer != null && pointer.sha256().equals(registered.sha256()));
                    if (!same) {
                        changed.add(registered.path().value());
                    }
                }
                clean &= changed.isEmpty();
                models.add(new ModelStatus(e.getKey(), latest.toString(), changed, null));
            }
            events.saveCache();
            return new Report(clean, out, models);
        } finally {
            artifacts.saveStatCache();
        }
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
