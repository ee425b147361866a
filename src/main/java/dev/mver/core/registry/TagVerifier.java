package dev.mver.core.registry;

import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The checks {@code verify} makes of one registry tag. Most depend only on the objects the tag names (its payload
 * against its name, commit and metadata record), which never change: a tag object that passed them is marked so in
 * the event cache, and the next verify repeats only the checks that depend on the other refs (the link to the
 * previous version's tag, the commit of the version an event names). Verifying 10,000 versions then costs a ref
 * listing instead of 10,000 tag, commit, tree and record reads. {@code fromScratch} (verify --all) trusts nothing.
 * Thread-safe: tags are checked on every core.
 */
public final class TagVerifier {
    /**
     * What one tag came to: its event number (null: another tool's registration or event), or the problem found;
     * and for a version that reads soundly, the artifacts it needs.
     */
    public record Outcome(String name, EventTag tag, Long number, String problem, List<ArtifactRef> artifacts) {
        static Outcome problem(String name, EventTag tag, String problem) {
            return new Outcome(name, tag, null, problem, null);
        }
    }

    private final Repository repo;
    private final GitRegistry registry;
    private final EventCache cache;
    private final boolean fromScratch;

    public TagVerifier(Repository repo, boolean fromScratch) {
        this.repo = repo;
        this.registry = new GitRegistry(repo);
        this.cache = EventCache.load(repo);
        this.fromScratch = fromScratch;
    }

    /** Checks the tag behind {@code ref}; {@code refs}: every tag ref by full name, as listed once by the caller. */
    public Outcome check(Ref ref, Map<String, Ref> refs) {
        String name = ref.getName().substring(Constants.R_TAGS.length());
        EventTag t = EventTag.parseOrNull(name);
        if (t == null) {
            return Outcome.problem(name, null, "malformed registry tag name");
        }
        try {
            EventCache.Facts known = fromScratch ? null : cache.get(ref.getObjectId(), ref.getName());
            if (known != null && known.verified()) {
                return t.kind() == EventTag.Kind.REGISTER
                        ? registered(name, t, known.number(), known.previous(), known.artifacts(), refs)
                        : event(name, t, known.number(), known.version(), known.commit(), refs);
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevObject obj = walk.parseAny(ref.getObjectId());
                if (!(obj instanceof RevTag tag)) {
                    return Outcome.problem(name, t, "lightweight tag: registry tags must be annotated");
                }
                Outcome o = t.kind() == EventTag.Kind.REGISTER ? readRegistration(name, t, ref, refs)
                        : readEvent(name, t, tag, walk, refs);
                if (o.problem() == null && o.number() != null) {
                    cache.put(ref.getObjectId(), ref.getName(), EventLog.facts(walk, ref.getObjectId(), t).asVerified());
                }
                return o;
            }
        } catch (MverException e) {
            return Outcome.problem(name, t, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + name + ": " + e.getMessage(), e);
        }
    }

    /** Remembers the tags found sound; a failure only costs the next verify the time this one spent. */
    public void save() {
        cache.save();
    }

    /** Every check, from the objects: another tool's registration must still have a readable record and pointers. */
    private Outcome readRegistration(String name, EventTag t, Ref ref, Map<String, Ref> refs) {
        TagName tag = new TagName(t.model(), t.version());
        Registration reg = registry.readAny(tag, ref);
        Metadata record = registry.metadata(reg);
        if (reg.payload() == null) {
            return new Outcome(name, t, null, null, record == null ? List.of() : record.artifacts());
        }
        TagPayload.Previous prev = reg.payload().previous();
        return registered(name, t, reg.payload().seq(), prev == null ? null : prev.version() + " " + prev.tagObject(),
                reg.payload().artifacts(), refs);
    }

    /** The checks that depend on the other refs: the previous version's tag is the one linked, and older. */
    private static Outcome registered(String name, EventTag t, Long number, String previous,
                                      List<ArtifactRef> artifacts, Map<String, Ref> refs) {
        if (previous != null) {
            int space = previous.indexOf(' ');
            SemVer version = SemVer.parse(previous.substring(0, space));
            TagName prevTag = new TagName(t.model(), version);
            Ref prevRef = refs.get(prevTag.refName());
            if (prevRef == null) {
                throw MverException.integrity("previous version %s is missing", prevTag);
            }
            if (!prevRef.getObjectId().name().equals(previous.substring(space + 1))) {
                throw MverException.integrity("previous version %s was re-tagged (its tag object is not the one linked)",
                        prevTag);
            }
            if (version.compareTo(t.version()) >= 0) {
                throw MverException.integrity("previous version %s is not older", prevTag);
            }
        }
        return new Outcome(name, t, number, null, artifacts);
    }

    private Outcome readEvent(String name, EventTag t, RevTag tag, RevWalk walk, Map<String, Ref> refs)
            throws IOException {
        EventPayload p = EventPayload.fromMessageOrNull(t.shortName(), tag.getFullMessage());
        if (p == null) {
            return new Outcome(name, t, null, null, null);
        }
        if (!p.model().equals(t.model())) {
            throw MverException.integrity("payload names model %s", p.model());
        }
        if (t.number() != null && t.number() != p.number()) {
            throw MverException.integrity("payload says event %d, the tag name %d", p.number(), t.number());
        }
        if (t.stage() != null && !t.stage().equals(p.stage())) {
            throw MverException.integrity("payload names stage %s", p.stage());
        }
        return event(name, t, p.number(), p.version(), walk.peel(tag).getId(), refs);
    }

    /** The check that depends on the other refs: the event is on the commit of the version it names. */
    private Outcome event(String name, EventTag t, Long number, String version, ObjectId commit,
                          Map<String, Ref> refs) {
        TagName tag = new TagName(t.model(), SemVer.parse(version));
        Ref ref = refs.get(tag.refName());
        // The version's commit: from packed-refs' peeled line, or what this verify found sound of its tag object
        // before (an object never changes under its id), else read from the tag.
        EventCache.Facts known = ref == null || fromScratch ? null : cache.get(ref.getObjectId(), ref.getName());
        ObjectId expected = ref != null && ref.getPeeledObjectId() != null ? ref.getPeeledObjectId()
                : known != null && known.verified() ? known.commit() : registry.commitOf(tag);
        if (!commit.equals(expected)) {
            throw MverException.integrity("points at a different commit than %s", tag);
        }
        return new Outcome(name, t, number, null, null);
    }
}
