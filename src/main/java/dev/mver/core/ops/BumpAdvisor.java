package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.policy.BumpRules;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code mver bump NAME --suggest}: what the working changes need, compared with the latest version. The working
 * state is the latest record with the artifacts as they are now in the work tree (or their pointers) and, when
 * the model's metadata file was edited by hand, the descriptive fields from that file.
 */
public final class BumpAdvisor {
    private final Workspace ws;
    private final ArtifactService artifacts;

    public BumpAdvisor(Workspace ws, ArtifactService artifacts) {
        this.ws = ws;
        this.artifacts = artifacts;
    }

    @JsonPropertyOrder({"model", "latest", "bump", "next", "reasons"})
    public record Suggestion(ModelName model, String latest, String bump, String next, List<String> reasons) {
    }

    public Suggestion suggest(ModelName model) {
        GitRegistry registry = new GitRegistry(ws.repository());
        // The version register --bump counts from: the highest, pre-releases included (2.0.0-rc.1 -> 2.0.0).
        List<SemVer> versions = registry.versions(model);
        Optional<SemVer> latest = versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        if (latest.isEmpty()) {
            throw MverException.notFound("model '%s' has no registered versions; its first version is yours to choose "
                    + "(mver register %s --version 1.0.0 ...)", model, model);
        }
        Metadata previous = registry.metadata(registry.readAny(new TagName(model, latest.get())));
        if (previous == null) {
            throw MverException.notFound("%s@%s was registered by another tool without an mver record; the next "
                    + "version is yours to choose (mver register %s --version X.Y.Z ...)", model,
                    latest.get().tagForm(), model);
        }
        Metadata.Builder next = edited(model, previous).toBuilder();
        List<ArtifactRef> now = new ArrayList<>();
        try {
            for (ArtifactRef a : previous.artifacts()) {
                ArtifactRef current = artifacts.currentState(a.path(), a);
                if (current == null) {
                    PointerFile p = artifacts.readPointer(a.path());
                    current = p == null ? a : new ArtifactRef(a.path(), p.type(), p.sha256(), p.size());
                }
                now.add(current);
            }
        } finally {
            artifacts.saveStatCache();
        }
        next.artifacts = now;
        Metadata working = next.build();
        if (working.content().equals(previous.content())) {
            if (latest.get().isPreRelease()) {
                // A candidate released as it was tested: the bump its release is (2.0.0-rc.1 -> 2.0.0: major).
                Bump kind = BumpRules.actual(latest.get(), latest.get().release());
                return new Suggestion(model, latest.get().toString(), kind.toString(),
                        latest.get().release().toString(), List.of("release of the candidate, unchanged"));
            }
            return new Suggestion(model, latest.get().toString(), null, null, List.of("no changes since v" + latest.get()));
        }
        BumpRules.Requirement need = BumpRules.required(previous, working);
        return new Suggestion(model, latest.get().toString(), need.bump().toString(),
                latest.get().bump(need.bump()).toString(), need.reasons());
    }

    /** The previous record, with descriptive fields from the work-tree metadata file if it was edited. */
    private Metadata edited(ModelName model, Metadata previous) {
        Metadata m = ws.workTreeRecord(model);
        if (m == null) {
            return previous;
        }
        try {
            Metadata.Builder b = previous.toBuilder();
            b.trainingDate = m.trainingDate();
            b.datasetSnapshotId = m.datasetSnapshotId();
            b.featureSetVersion = m.featureSetVersion();
            b.architecture = m.architecture();
            b.features = new ArrayList<>(m.features());
            b.hyperparameters = new java.util.TreeMap<>(m.hyperparameters());
            b.metrics = new java.util.TreeMap<>(m.metrics());
            b.libraryVersions = new java.util.TreeMap<>(m.libraryVersions());
            b.extra = new java.util.TreeMap<>(m.extra());
            return b.build();
        } catch (MverException e) {
            return previous;
        }
    }
}
