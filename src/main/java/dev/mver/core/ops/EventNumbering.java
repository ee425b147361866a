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
import org.eclipse.jgit.lib.Ref;
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
    /** Each model's events, read once per push (and again after a retry changed them). */
    private final Map<ModelName, List<EventLog.Event>> events = new HashMap<>();

    EventNumbering(Repository repo) {
        this.repo = repo;
    }

    private List<EventLog.Event> events(ModelName model) {
        return events.computeIfAbsent(model, m -> new EventLog(repo).events(m));
    }

    /**
     * An unpushed event numbered at or below one already on the remote; {@code remoteMax} is -1 when the remote has
     * events this clone has not seen at all (its event counter names a tag object that is not here).
     */
    record Collision(ModelName model, String tag, long number, long remoteMax) {
    }

    /** Whether the remote holds this very event: the same tag object under the same name. */
    static boolean pushed(EventLog.Event e, Map<String, ObjectId> remote) {
        return e.tagObject() != null && e.tagObject().equals(remote.get(Constants.R_TAGS + e.tag()));
    }

    /**
     * The unpushed events of {@code models} that are not numbered after every remote event; {@code remote} maps
     * the remote's ref names to ids (refs/tags/... and mver's event counters included). A registration of a version
     * the remote registered differently is not renumbered here: that is a lost registration race (register --retry).
     */
    List<Collision> collisions(Collection<ModelName> models, Map<String, ObjectId> remote) {
        List<Collision> out = new ArrayList<>();
        for (ModelName model : models) {
            List<EventLog.Event> events = events(model);
            List<EventLog.Event> unpushed = events.stream().filter(e -> e.number() != null && e.origin() == Origin.MVER
                    && !pushed(e, remote)).toList();
            if (unpushed.isEmpty()) {
                continue;
            }
            for (EventLog.Event e : unpushed) {
                if (e.event() == dev.mver.core.value.EventType.REGISTRATION
                        && remote.containsKey(Constants.R_TAGS + e.tag())) {
                    throw MverException.conflict("%s was registered on the remote too, with other content: run 'mver "
                            + "register %s --bump ... -m ... --retry' to take the next version, then push", e.tag(),
                            model);
                }
            }
            long remoteMax = remoteMax(model, events, remote);
            for (EventLog.Event e : unpushed) {
                if (remoteMax < 0 || e.number() <= remoteMax) {
                    out.add(new Collision(model, e.tag(), e.number(), remoteMax));
                }
            }
        }
        return out;
    }

    /**
     * The highest event number on the remote: from the names of its stage tags, from the events this clone shares
     * with it (the same tag objects), and from the event it last counted (its counter ref), which must be one this
     * clone has: -1 when it is not, since the remote then has events (a deprecation, a registration on another
     * branch) whose numbers only their payloads tell.
     */
    private static long remoteMax(ModelName model, List<EventLog.Event> local, Map<String, ObjectId> remote) {
        Map<ObjectId, Long> numberOf = new HashMap<>();
        local.forEach(e -> {
            if (e.number() != null && e.tagObject() != null) {
                numberOf.put(e.tagObject(), e.number());
            }
        });
        long max = 0;
        for (Map.Entry<String, ObjectId> r : remote.entrySet()) {
            EventTag t = r.getKey().startsWith(Constants.R_TAGS) ? EventTag.parseOrNull(r.getKey()) : null;
            if (t == null || !t.model().equals(model)) {
                continue;
            }
            if (t.number() != null) {
                max = Math.max(max, t.number());
            }
            Long shared = numberOf.get(r.getValue());
            if (shared != null) {
                max = Math.max(max, shared);
            }
        }
        ObjectId counter = remote.get(TagWriter.counterRef(model));
        if (counter != null) {
            Long counted = numberOf.get(counter);
            if (counted == null) {
                return -1;
            }
            max = Math.max(max, counted);
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
        try {
            for (ModelName model : models) {
                List<EventLog.Event> events = events(model);
                boolean unpushed = events.stream().anyMatch(e -> e.number() != null && e.origin() == Origin.MVER
                        && !pushed(e, remote));
                EventLog.Event head = events.stream().filter(e -> e.number() != null && e.tagObject() != null)
                        .max(java.util.Comparator.comparing(EventLog.Event::number)).orElse(null);
                if (!unpushed || head == null) {
                    continue;
                }
                String counter = TagWriter.counterRef(model);
                Ref local = repo.exactRef(counter);
                point(counter, local == null ? ObjectId.zeroId() : local.getObjectId(), head.tagObject());
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
        try {
            for (Collision c : collisions) {
                for (EventLog.Event e : events(c.model())) {
                    if (e.number() != null && e.number() >= c.number() && e.origin() == Origin.MVER
                            && !pushed(e, remote) && !out.containsKey(e.tag())) {
                        out.put(e.tag(), new SetAside(c.model(), e.tag(), e.tagObject()));
                    }
                }
            }
            for (SetAside s : out.values()) {
                notice.accept("renumbering " + s.tag() + " (tag object " + s.tagObject().name() + ")");
            }
            List<SetAside> deleted = new ArrayList<>();
            try {
                for (SetAside s : out.values()) {
                    RefUpdate u = repo.updateRef(Constants.R_TAGS + s.tag());
                    u.setExpectedOldObjectId(s.tagObject());
                    u.setForceUpdate(true);
                    RefUpdate.Result r = u.delete();
                    if (r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD) {
                        throw MverException.conflict("cannot set %s aside to renumber it (%s)", s.tag(), r);
                    }
                    deleted.add(s);
                }
            } catch (IOException | RuntimeException e) {
                for (SetAside s : deleted) {
                    create(Constants.R_TAGS + s.tag(), s.tagObject()); // as it was: nothing half set aside
                }
                throw e;
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
    List<String> renumber(List<SetAside> setAside, java.util.Set<SetAside> written) {
        List<String> done = new ArrayList<>();
        Map<ObjectId, ObjectId> rewritten = new HashMap<>();
        EventLog log = new EventLog(repo);
        try (RevWalk walk = new RevWalk(repo); ObjectInserter inserter = repo.newObjectInserter()) {
            Map<ModelName, Long> next = new HashMap<>();
            for (SetAside s : setAside) {
                EventTag named = EventTag.parseOrNull(Constants.R_TAGS + s.tag());
                if (named.kind() == EventTag.Kind.DEREGISTER && repo.exactRef(Constants.R_TAGS + s.tag()) != null) {
                    // The remote deprecated the same version meanwhile: the version is deprecated either way.
                    written.add(s);
                    done.add(s.tag() + " dropped: the remote has it already (yours was tag object "
                            + s.tagObject().name() + ")");
                    continue;
                }
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
                written.add(s);
                Ref counter = repo.exactRef(TagWriter.counterRef(s.model()));
                point(TagWriter.counterRef(s.model()), counter == null ? ObjectId.zeroId() : counter.getObjectId(), id);
                done.add(s.tag() + " -> " + name + " (event " + number + ")");
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot renumber events: " + e.getMessage(), e);
        }
        return done;
    }

    /**
     * Sets the colliding events aside, runs {@code fetch} (the remote's events come in), and writes them again
     * numbered after every event the clone then has. Whatever fails on the way, every set-aside event that was not
     * written again gets its old ref back, so nothing of the user's is lost by a retry.
     */
    List<String> retry(List<Collision> collisions, Map<String, ObjectId> remote, Runnable fetch,
                       java.util.function.Consumer<String> notice) {
        List<SetAside> setAside = setAside(collisions, remote, notice);
        java.util.Set<SetAside> written = new java.util.HashSet<>();
        try {
            return renumberOrRestore(setAside, written, fetch, notice);
        } finally {
            events.clear(); // the fetch and the renumbering changed them
        }
    }

    private List<String> renumberOrRestore(List<SetAside> setAside, java.util.Set<SetAside> written, Runnable fetch,
                                           java.util.function.Consumer<String> notice) {
        try {
            fetch.run();
            return renumber(setAside, written);
        } catch (RuntimeException e) {
            for (SetAside s : setAside) {
                if (!written.contains(s)) {
                    try {
                        create(Constants.R_TAGS + s.tag(), s.tagObject());
                    } catch (IOException | MverException restore) {
                        notice.accept("could not put " + s.tag() + " back; its tag object is " + s.tagObject().name()
                                + " (git tag " + s.tag() + "-local " + s.tagObject().name() + " keeps it)");
                    }
                }
            }
            throw e;
        }
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

    /** Moves a model's counter from {@code expected} (zero: absent) only: a local write in between wins. */
    private void point(String ref, ObjectId expected, ObjectId id) throws IOException {
        if (expected.equals(id)) {
            return;
        }
        RefUpdate u = repo.updateRef(ref);
        u.setExpectedOldObjectId(expected);
        u.setNewObjectId(id);
        u.setForceUpdate(true);
        RefUpdate.Result r = u.update();
        if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD) {
            throw MverException.conflict("another event of this model was written meanwhile (%s); push again", r);
        }
    }
}
