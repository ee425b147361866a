package dev.mver.core.ops;

import dev.mver.core.git.TagWriter;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Origin;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * A model's event numbers across clones. Each clone numbers its events after the ones it has; two clones that write
 * events at once (one promotes while the other registers or promotes) number them alike, and only the remote can
 * tell. {@code push} therefore checks, against the remote's refs, that every event it is about to publish is
 * numbered after every event already there, and moves the model's event counter on the remote under a lease (the
 * compare-and-swap of registrations, across clones). {@code push --retry} renumbers the unpushed events after the
 * remote's, keeping each event's target, author, time and reason.
 */
final class EventNumbering {
    private final Repository repo;

    EventNumbering(Repository repo) {
        this.repo = repo;
    }

    /** An unpushed event numbered at or below one already on the remote. */
    record Collision(ModelName model, String tag, long number, long remoteMax) {
    }

    /**
     * The unpushed events of {@code models} (numbered tags not on the remote) that are not numbered after every
     * remote event; {@code remote} maps the remote's ref names to ids (refs/tags/... included).
     */
    List<Collision> collisions(Collection<ModelName> models, Map<String, ObjectId> remote) {
        List<Collision> out = new ArrayList<>();
        EventLog log = new EventLog(repo);
        for (ModelName model : models) {
            List<EventLog.Event> events = log.events(model);
            long remoteMax = remoteMax(model, events, remote);
            for (EventLog.Event e : events) {
                if (e.number() != null && e.origin() == Origin.MVER && !remote.containsKey(Constants.R_TAGS + e.tag())
                        && e.number() <= remoteMax) {
                    out.add(new Collision(model, e.tag(), e.number(), remoteMax));
                }
            }
        }
        return out;
    }

    /**
     * The highest event number on the remote: from the names of its stage tags, and from the payloads of the
     * registrations and deprecations this clone has too (the same tag objects). A registration this clone lacks
     * moved the remote's branch, and the push is refused over that anyway.
     */
    private static long remoteMax(ModelName model, List<EventLog.Event> local, Map<String, ObjectId> remote) {
        Map<String, EventLog.Event> byRef = new HashMap<>();
        local.forEach(e -> byRef.put(Constants.R_TAGS + e.tag(), e));
        long max = 0;
        for (Map.Entry<String, ObjectId> r : remote.entrySet()) {
            EventTag t = r.getKey().startsWith(Constants.R_TAGS) ? EventTag.parseOrNull(r.getKey()) : null;
            if (t == null || !t.model().equals(model)) {
                continue;
            }
            EventLog.Event mine = byRef.get(r.getKey());
            if (t.number() != null) {
                max = Math.max(max, t.number());
            } else if (mine != null && mine.number() != null && r.getValue().equals(mine.tagObject())) {
                max = Math.max(max, mine.number());
            }
        }
        return max;
    }

    /**
     * For every model of {@code models} with events the remote lacks: its counter ref, pointed (locally) at its
     * highest-numbered event, and the id the remote's counter has now (zero: none), for the push's lease. Models
     * with nothing to publish keep the remote's counter as it is.
     */
    Map<String, ObjectId[]> counters(Collection<ModelName> models, Map<String, ObjectId> remote) {
        Map<String, ObjectId[]> out = new LinkedHashMap<>();
        EventLog log = new EventLog(repo);
        try {
            for (ModelName model : models) {
                List<EventLog.Event> events = log.events(model);
                boolean unpushed = events.stream().anyMatch(e -> e.number() != null && e.origin() == Origin.MVER
                        && !remote.containsKey(Constants.R_TAGS + e.tag()));
                EventLog.Event head = events.stream().filter(e -> e.number() != null && e.tagObject() != null)
                        .max(java.util.Comparator.comparing(EventLog.Event::number)).orElse(null);
                if (!unpushed || head == null) {
                    continue;
                }
                String counter = TagWriter.counterRef(model);
                point(counter, head.tagObject());
                out.put(counter, new ObjectId[] {head.tagObject(), remote.getOrDefault(counter, ObjectId.zeroId())});
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot move the event counter: " + e.getMessage(), e);
        }
        return out;
    }

    /** What {@link #setAside} took out of the refs, to be written again with new numbers. */
    record SetAside(ModelName model, String tag, ObjectId tagObject) {
    }

    /**
     * Deletes the local refs of the colliding events and of every unpushed event of their model after them (their
     * tag objects stay), so the remote's events can be fetched; {@code notice} names each tag object first, so an
     * interrupted retry can be undone by hand.
     */
    List<SetAside> setAside(List<Collision> collisions, Map<String, ObjectId> remote,
                            java.util.function.Consumer<String> notice) {
        Map<String, SetAside> out = new LinkedHashMap<>();
        EventLog log = new EventLog(repo);
        try {
            for (Collision c : collisions) {
                for (EventLog.Event e : log.events(c.model())) {
                    if (e.number() != null && e.number() >= c.number() && e.origin() == Origin.MVER
                            && !remote.containsKey(Constants.R_TAGS + e.tag()) && !out.containsKey(e.tag())) {
                        out.put(e.tag(), new SetAside(c.model(), e.tag(), e.tagObject()));
                    }
                }
            }
            for (SetAside s : out.values()) {
                notice.accept("renumbering " + s.tag() + " (tag object " + s.tagObject().name() + ")");
            }
            for (SetAside s : out.values()) {
                RefUpdate u = repo.updateRef(Constants.R_TAGS + s.tag());
                u.setExpectedOldObjectId(s.tagObject());
                u.setForceUpdate(true);
                RefUpdate.Result r = u.delete();
                if (r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD) {
                    throw MverException.conflict("cannot set %s aside to renumber it (%s)", s.tag(), r);
                }
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot renumber events: " + e.getMessage(), e);
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Writes every set-aside event again, in its old order, numbered after every event the clone now has: same
     * target, tagger (name, e-mail, time) and reason; a stage tag's name carries its new number, a registration's
     * payload its new sequence number (and the link to a renumbered previous version). Returns "old -> new".
     */
    List<String> renumber(List<SetAside> setAside) {
        List<String> done = new ArrayList<>();
        Map<ObjectId, ObjectId> rewritten = new HashMap<>();
        EventLog log = new EventLog(repo);
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            Map<ModelName, Long> next = new HashMap<>();
            for (SetAside s : setAside) {
                long number = next.computeIfAbsent(s.model(), m -> EventLog.nextNumber(log.events(m)));
                next.put(s.model(), number + 1);
                RevTag old = walk.parseTag(s.tagObject());
                EventTag t = EventTag.parseOrNull(Constants.R_TAGS + s.tag());
                String name = s.tag();
                String message;
                if (t.kind() == EventTag.Kind.REGISTER) {
                    TagPayload p = TagPayload.fromMessage(s.tag(), old.getFullMessage());
                    TagPayload.Previous prev = p.previous();
                    if (prev != null && rewritten.containsKey(ObjectId.fromString(prev.tagObject()))) {
                        prev = new TagPayload.Previous(prev.version(),
                                rewritten.get(ObjectId.fromString(prev.tagObject())).name());
                    }
                    message = new TagPayload(p.schema(), p.model(), p.version(), number, p.metadataPath(),
                            p.metadataSha256(), p.artifacts(), prev, p.reason()).toMessage();
                } else {
                    EventPayload p = EventPayload.fromMessageOrNull(s.tag(), old.getFullMessage());
                    if (p == null) {
                        throw MverException.integrity("%s carries no mver payload; it cannot be renumbered", s.tag());
                    }
                    message = new EventPayload(p.model(), p.type(), p.version(), p.stage(), number, p.previous(),
                            p.reason()).toMessage();
                    if (t.number() != null) {
                        name = new EventTag(t.kind(), t.model(), t.version(), t.stage(), number).shortName();
                    }
                }
                TagBuilder tag = new TagBuilder();
                tag.setObjectId(old.getObject());
                tag.setTag(name);
                tag.setTagger(old.getTaggerIdent());
                tag.setMessage(message);
                ObjectId id = inserter.insert(tag);
                inserter.flush();
                rewritten.put(s.tagObject(), id);
                create(Constants.R_TAGS + name, id);
                point(TagWriter.counterRef(s.model()), id);
                done.add(s.tag() + " -> " + name + " (event " + number + ")");
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot renumber events: " + e.getMessage(), e);
        }
        return done;
    }

    private void create(String ref, ObjectId id) throws IOException {
        RefUpdate u = repo.updateRef(ref);
        u.setExpectedOldObjectId(ObjectId.zeroId());
        u.setNewObjectId(id);
        RefUpdate.Result r = u.update();
        if (r != RefUpdate.Result.NEW) {
            throw MverException.conflict("cannot create %s (%s)", Repository.shortenRefName(ref), r);
        }
    }

    private void point(String ref, ObjectId id) throws IOException {
        RefUpdate u = repo.updateRef(ref);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        u.update();
    }
}
