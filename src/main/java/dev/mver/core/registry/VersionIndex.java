package dev.mver.core.registry;

import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * Which registered versions hold given bytes: every version's artifacts by hash, so bytes that are already a
 * version are named as that version ("holds churn@v1.0.0") instead of looking like new work. Built on first use
 * only, from the event log (whose cache holds every tag's artifacts): a command whose files all match their
 * records never asks, and never pays for it.
 */
public final class VersionIndex {
    /** One registered artifact: the version that holds it and where. */
    public record Holder(TagName tag, ArtifactRef artifact) {
    }

    private final Repository repo;
    private final EventLog events;
    private final ModelName only;
    /** The registrations whose artifacts include a content key; their artifacts parsed only when asked for. */
    private Map<String, List<Registered>> byContent;

    private record Registered(TagName tag, List<ArtifactRef> artifacts) {
    }
    private Map<ModelName, List<SemVer>> versions;

    /** Over every model's versions. */
    public VersionIndex(Repository repo, EventLog events) {
        this(repo, events, null);
    }

    /** Over the versions of {@code only} (every model's when null). */
    public VersionIndex(Repository repo, EventLog events, ModelName only) {
        this.repo = repo;
        this.events = events;
        this.only = only;
    }

    /** Every version holding exactly these bytes (same hash, same kind), oldest first within a model. */
    private List<Holder> holders(ArtifactRef bytes) {
        String key = EventCache.contentKey(bytes);
        List<Holder> out = new ArrayList<>();
        for (Registered r : index().getOrDefault(key, List.of())) {
            for (ArtifactRef a : r.artifacts()) {
                if (EventCache.contentKey(a).equals(key)) {
                    out.add(new Holder(r.tag(), a));
                }
            }
        }
        return out;
    }

    /**
     * The newest version that holds these bytes at the same path (of {@code model}, or of any model when null):
     * the same bytes elsewhere (a tiny or empty file, a file shared by two models) name nothing.
     */
    public Optional<TagName> versionAt(ArtifactRef bytes, ModelName model) {
        TagName best = null;
        for (Holder h : holders(bytes)) {
            TagName t = h.tag();
            if (h.artifact().path().equals(bytes.path()) && (model == null || t.model().equals(model))
                    && (best == null || (t.model().equals(best.model()) && t.version().compareTo(best.version()) > 0))) {
                best = t;
            }
        }
        return Optional.ofNullable(best);
    }

    /** The registered versions of every model indexed, oldest first (as {@link GitRegistry#models}). */
    public Map<ModelName, List<SemVer>> versions() {
        if (versions == null) {
            GitRegistry registry = new GitRegistry(repo);
            versions = only == null ? registry.models() : Map.of(only, registry.versions(only));
        }
        return versions;
    }

    private Map<String, List<Registered>> index() {
        if (byContent == null) {
            Map<String, List<Registered>> out = new HashMap<>();
            Map<ModelName, List<EventLog.Event>> all = only == null ? events.all() : Map.of(only, events.events(only));
            all.forEach((model, list) -> {
                for (EventLog.Event e : list) {
                    if (e.event() != EventType.REGISTRATION || e.version() == null || e.tagObject() == null) {
                        continue;
                    }
                    TagName tag = new TagName(model, SemVer.parse(e.version()));
                    if (!tag.shortName().equals(e.tag())) {
                        continue; // a counted registration (GTO's NAME@vX.Y.Z#N) holds no record of mver's
                    }
                    try {
                        List<ArtifactRef> artifacts = events.registeredArtifacts(e);
                        Registered r = new Registered(tag, artifacts);
                        for (String key : new java.util.LinkedHashSet<>(EventCache.contentKeys(artifacts))) {
                            out.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
                        }
                    } catch (MverException ex) {
                        // another tool's version without a record, or a damaged one (verify explains): holds nothing
                    }
                }
            });
            byContent = out;
        }
        return byContent;
    }
}
