package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.RefNames;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Origin;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Every registry event of a model, read from its tags (mver's and GTO's), in one total order. Events that carry
 * an event number (all of mver's, GTO's stage tags) are ordered by it, never by clock; events without one (GTO
 * registrations and deprecations) are placed after the last numbered event that is not newer than them.
 */
public final class EventLog {
    private final Repository repo;
    private EventCache cache;
    private EventSnapshot snapshots;
    private boolean snapshotsOpened;
    /** Each model's events as this log last read them, with the keys they were read under. */
    private final Map<ModelName, EventSnapshot.Stored> read = new HashMap<>();
    private List<String> tagNames;
    /** Each model's events by tag name, for {@link #commitOfTag}. */
    private final Map<ModelName, Map<String, Event>> byTag = new HashMap<>();
    /** Models whose snapshot is to be written: missing or out of date when read. */
    private final Set<ModelName> stale = new java.util.HashSet<>();

    /**
     * A model's events are read from its snapshot while the ref store's times say nothing changed since, else from
     * its refs through the event cache (what a tag object says never changes under its id). Commands that write
     * act on that history too: what they then write is decided under a compare-and-swap of the model's event
     * counter, which no cache stands in for.
     */
    public EventLog(Repository repo) {
        this.repo = repo;
    }

    /** Loaded on first use: a read command that never asks for events (list) does not pay for 10,000 lines. */
    private EventCache cache() {
        if (cache == null) {
            cache = EventCache.load(repo);
        }
        return cache;
    }

    private EventSnapshot snapshots() {
        if (!snapshotsOpened) {
            snapshots = EventSnapshot.of(repo);
            snapshotsOpened = true;
        }
        return snapshots;
    }

    /**
     * Writes what this log learnt to the event cache and the snapshots, once the command has succeeded (a refused
     * command leaves every file as it was).
     */
    public void saveCache() {
        if (cache != null) {
            cache.save();
        }
        for (ModelName model : stale) {
            snapshots.save(model, read.get(model));
        }
        stale.clear();
    }

    /**
     * One event; {@code origin} says whether mver wrote it, another tool did (GTO), or it replaced a registration of
     * mver's (tampered: {@code verify} explains).
     */
    @JsonPropertyOrder({"number", "event", "model", "version", "stage", "tag", "by", "at", "reason", "origin"})
    public record Event(Long number, EventType event, ModelName model, String version, StageName stage, String tag,
                        String by, String at, String reason, Origin origin, @JsonIgnore Instant time,
                        @JsonIgnore ObjectId commit, @JsonIgnore ObjectId tagObject) {
        public boolean isAssignment() {
            return event.assigns();
        }
    }

    /** What a model looks like after its events: stage occupants, deprecated versions. */
    public record State(Map<StageName, String> stages, Set<String> deprecated, boolean modelDeprecated) {
    }

    /**
     * The model's events in order: from its {@link EventSnapshot} when the ref store's times say nothing changed
     * since it was taken, or when the model's refs are the ones it was read from; else from the refs, through the
     * event cache.
     */
    public List<Event> events(ModelName model) {
        EventSnapshot snaps = snapshots();
        return events(model, snaps == null ? null : snaps.stamp(model),
                () -> snaps.scan(List.of(model)).get(model), () -> {
            try {
                return repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + model.value() + "@",
                        Constants.R_TAGS + model.value() + "#");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list tags: " + e.getMessage(), e);
            }
        });
    }

    /**
     * {@link #events(ModelName)}, the model's tag files (if the stamp does not vouch for the snapshot) from
     * {@code scan}, its refs (if they are needed) from {@code listing}; each made after the one before, so a ref
     * changed in between is in the refs, and moves the next stamp and no longer matches its file's record.
     */
    private List<Event> events(ModelName model, EventSnapshot.Stamp stamp,
                               java.util.function.Supplier<RefFiles.Scan> scanning,
                               java.util.function.Supplier<List<Ref>> listing) {
        EventSnapshot snaps = snapshots();
        // What this log read last is as good as the file it came from, and newer after its own write.
        EventSnapshot.Stored stored = snaps == null ? null : read.containsKey(model) ? read.get(model) : snaps.load(model);
        if (stored != null && stored.stamp().settled() && stored.stamp().text().equals(stamp.text())) {
            read.put(model, stored);
            return stored.events();
        }
        // The tag files' stats before any ref is read: a tag that changes after this is in the refs, and its file
        // no longer matches the record the next command checks.
        RefFiles.Scan scan = snaps == null ? null : scanning.get();
        if (stored != null && snaps.unchanged(stored.files(), scan)) {
            Map<String, ObjectId> racy = new HashMap<>();
            stored.files().racy().forEach(r -> racy.put(r.name(), r.id()));
            remember(model, stored, new EventSnapshot.Stored(stamp, stored.digest(), RefFiles.record(scan, racy::get),
                    stored.events()));
            return stored.events();
        }
        List<Ref> listed = listing.get();
        Map<String, ObjectId> ids = new HashMap<>();
        List<Ref> refs = new ArrayList<>();
        for (Ref ref : listed) {
            ids.put(ref.getName(), ref.getObjectId());
            EventTag t = EventTag.parseOrNull(ref.getName());
            if (t != null && t.model().equals(model)) {
                refs.add(ref); // the same refs whichever listing they came from, so the digest is too
            }
        }
        long digest = EventSnapshot.digest(refs);
        List<Event> events = stored != null && stored.digest() == digest ? stored.events()
                : order(read(model, refs, cache()));
        if (snaps != null) {
            remember(model, stored, new EventSnapshot.Stored(stamp, digest, RefFiles.record(scan, ids::get), events));
        }
        return events;
    }

    /** Keeps {@code now} as the model's snapshot, to be written when it says more than {@code stored} did. */
    private void remember(ModelName model, EventSnapshot.Stored stored, EventSnapshot.Stored now) {
        read.put(model, now);
        if (stored == null || stored.digest() != now.digest() || !stored.stamp().equals(now.stamp())
                || !java.util.Objects.equals(stored.files(), now.files())) {
            stale.add(model);
        }
    }

    /**
     * The commit the event tag {@code refName} leads to, as the model's events say (they were read from the refs
     * as they are, or from a snapshot the ref store's times vouch for): no ref file or tag object is read. Null when
     * the events have no such tag (not an event tag, a lightweight tag).
     */
    public ObjectId commitOfTag(String refName) {
        EventTag t = EventTag.parseOrNull(refName);
        if (t == null) {
            return null;
        }
        Event e = byTag.computeIfAbsent(t.model(), m -> {
            Map<String, Event> index = new HashMap<>();
            events(m).forEach(ev -> index.put(ev.tag(), ev));
            return index;
        }).get(t.shortName());
        return e == null ? null : e.commit();
    }

    /**
     * After this command wrote {@code refName} (an event of mver's, with {@code tagObject}): the model's events as
     * last read move on by that event, so the next command need not read the model's tags again. Its snapshot is
     * stamped after the write, so the next command checks the refs before it takes it (another writer may have
     * come in between). Not done where the new event could change how earlier ones read: a registration in a model
     * with another tool's tags (their origin depends on mver's first version).
     */
    public void wrote(ModelName model, String refName, ObjectId tagObject) {
        byTag.remove(model);
        tagNames = null;
        EventSnapshot.Stored before = read.get(model);
        if (before == null) {
            return;
        }
        // One tag object, read from git: loading the event cache of every tag for it would cost more.
        List<Event> added = read(model, List.of(new ObjectIdRef.Unpeeled(Ref.Storage.LOOSE, refName, tagObject)),
                EventCache.NONE);
        if (added.size() != 1 || added.get(0).origin() != Origin.MVER || (added.get(0).event() == EventType.REGISTRATION
                && before.events().stream().anyMatch(e -> e.origin() != Origin.MVER))) {
            read.remove(model);
            stale.remove(model);
            return;
        }
        List<Event> events = new ArrayList<>(before.events());
        events.add(added.get(0));
        // Never settled, however long ago the write was: another writer may have come in between this one's read
        // and the stamp, and only the refs' digest would tell.
        EventSnapshot.Stamp after = new EventSnapshot.Stamp(snapshots.stamp(model).text(), false);
        read.put(model, new EventSnapshot.Stored(after, EventSnapshot.plus(before.digest(), refName, tagObject),
                snapshots.plus(before.files(), refName, tagObject), java.util.Collections.unmodifiableList(order(events))));
        stale.add(model);
    }

    /**
     * The artifacts a version registered, as its tag says: from the event cache when this tag object was read
     * before (no tag parsed, no JSON mapper loaded: {@code status} asks this for every model on every run),
     * otherwise through the verified {@link GitRegistry#read}.
     */
    public List<ArtifactRef> registeredArtifacts(TagName tag) {
        try {
            Ref ref = repo.exactRef(tag.refName());
            if (ref == null) {
                throw MverException.notFound("version %s not found", tag);
            }
            return registeredArtifacts(tag, ref.getObjectId());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@link #registeredArtifacts(TagName)} of a registration event of {@link #events}: its tag object is known, so
     * no ref is read (an index of 20,000 versions read 20,000 ref files).
     */
    public List<ArtifactRef> registeredArtifacts(Event registration) {
        return registeredArtifacts(new TagName(registration.model(), SemVer.parse(registration.version())),
                registration.tagObject());
    }

    private List<ArtifactRef> registeredArtifacts(TagName tag, ObjectId tagObject) {
        String refName = tag.refName();
        EventCache.Facts facts = cache().get(tagObject, refName);
        EventTag t = EventTag.parseOrNull(refName);
        if (facts == null && t != null) {
            try (RevWalk walk = new RevWalk(repo)) {
                facts = facts(walk, tagObject, t);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
            }
            cache().put(tagObject, refName, facts);
        }
        if (facts != null && facts.artifacts() != null) {
            return facts.artifacts(); // only ever set from a payload that passed GitRegistry's checks
        }
        // Not a sound registration: the verified read says why.
        GitRegistry registry = new GitRegistry(repo);
        Registration reg = registry.readAny(tag);
        if (reg.payload() == null && registry.metadata(reg) == null) {
            throw new ForeignVersion(tag); // another tool's, with nothing of mver's to compare against
        }
        return registry.artifacts(reg);
    }

    /**
     * What a registration's record adds to its event for audit, queries and the report; null fields where the
     * record has none. {@code metrics} as the record has them (numbers stay numbers).
     */
    public record RecordSummary(String datasetSnapshotId, String featureSetVersion, String parentVersion,
                                Map<String, com.fasterxml.jackson.databind.JsonNode> metrics) {
        /** The summary as a record-shaped tree, for {@link dev.mver.core.value.RecordFilter}. */
        public com.fasterxml.jackson.databind.node.ObjectNode asTree() {
            com.fasterxml.jackson.databind.node.ObjectNode tree = dev.mver.core.value.Json.mapper().createObjectNode();
            tree.put("dataset_snapshot_id", datasetSnapshotId);
            tree.put("feature_set_version", featureSetVersion);
            tree.put("parent_version", parentVersion);
            tree.putObject("metrics").setAll(metrics);
            return tree;
        }
    }

    /**
     * The record summary of each of {@code registrations}, from the event cache where this tag object's record was
     * read before, else from the verified record, then remembered: audit, queries and the report over 20,000
     * versions need not read 20,000 records every time. Absent for a version without an mver record (another
     * tool's; remembered as such) and for one whose record cannot be read now (damaged, or its blob not fetched in a
     * partial clone; not remembered, so it is read again once it can be).
     */
    public Map<Event, RecordSummary> recordSummaries(List<Event> registrations) {
        Map<Event, RecordSummary> out = new HashMap<>();
        for (Event e : registrations) {
            String ref = Constants.R_TAGS + e.tag();
            EventCache.Facts facts = e.tagObject() == null ? null : cache().get(e.tagObject(), ref);
            EventTag tag = facts == null && e.tagObject() != null ? EventTag.parseOrNull(ref) : null;
            if (tag != null) {
                // An event this command took from its snapshot (a version registered here since the cache last
                // read the refs): its tag object is read once, so its summary can be remembered with it.
                try (RevWalk walk = new RevWalk(repo)) {
                    facts = facts(walk, e.tagObject(), tag);
                    cache().put(e.tagObject(), ref, facts);
                } catch (IOException unreadable) {
                    facts = null; // the summary is read below and not remembered
                }
            }
            RecordSummary summary = facts == null || facts.record() == null ? null
                    : EventCache.decodeRecord(facts.record());
            if (summary == null && (facts == null || !"-".equals(facts.record()))) {
                try {
                    summary = readSummary(e);
                } catch (MverException unreadable) {
                    continue; // damaged, or an object not fetched yet: not remembered, so read again next time
                }
                if (facts != null) {
                    cache().put(e.tagObject(), ref, facts.withRecord(EventCache.encodeRecord(summary)));
                }
            }
            if (summary != null) {
                out.put(e, summary);
            }
        }
        return out;
    }

    /** The summary of a registration's verified record; null when it has none (another tool's version). */
    private RecordSummary readSummary(Event registration) {
        GitRegistry registry = new GitRegistry(repo);
        TagName tag = new TagName(registration.model(), SemVer.parse(registration.version()));
        // Read under the tag object the event was read from: no ref lookup per version.
        dev.mver.core.value.Metadata m = registry.metadata(registration.tagObject() == null ? registry.readAny(tag)
                : registry.readAny(tag, new ObjectIdRef.Unpeeled(Ref.Storage.LOOSE,
                        Constants.R_TAGS + registration.tag(), registration.tagObject())));
        return m == null ? null : new RecordSummary(m.datasetSnapshotId(), m.featureSetVersion(), m.parentVersion(),
                m.metrics());
    }

    /** The names of every tag (full ref names), listed once per log: no ref file is read. */
    public List<String> tagNames() {
        if (tagNames == null) {
            tagNames = RefNames.list(repo, Constants.R_TAGS);
        }
        return tagNames;
    }

    /** Every model that has any registry tag, with its ordered events. */
    public Map<ModelName, List<Event>> all() {
        // The models from the tag names alone (no ref file read); each from its snapshot where that holds, and
        // one listing of every tag, made only if some model needs its refs.
        java.util.Set<ModelName> models = new java.util.TreeSet<>();
        for (String name : tagNames()) {
            EventTag t = EventTag.parseOrNull(name);
            if (t != null) {
                models.add(t.model());
            }
        }
        EventSnapshot snaps = snapshots();
        Map<ModelName, RefFiles.Scan> scans = new HashMap<>();
        boolean[] scanned = {false};
        java.util.function.Supplier<Map<ModelName, RefFiles.Scan>> scanning = () -> {
            if (!scanned[0] && snaps != null) {
                scans.putAll(snaps.scan(models));
                scanned[0] = true;
            }
            return scans;
        };
        Map<ModelName, List<Ref>> byModel = new HashMap<>();
        boolean[] listed = {false};
        java.util.function.Supplier<Map<ModelName, List<Ref>>> listing = () -> {
            if (!listed[0]) {
                scanning.get(); // every model's files before any ref is read
                try {
                    for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                        EventTag t = EventTag.parseOrNull(ref.getName());
                        if (t != null) {
                            byModel.computeIfAbsent(t.model(), k -> new ArrayList<>()).add(ref);
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list tags: " + e.getMessage(), e);
                }
                listed[0] = true;
            }
            return byModel;
        };
        // Every stamp before the one listing: a ref that changes while the models are read is in the listing or
        // moves a stamp, never neither.
        Map<ModelName, EventSnapshot.Stamp> stamps = new HashMap<>();
        if (snaps != null) {
            models.forEach(m -> stamps.put(m, snaps.stamp(m)));
        }
        Map<ModelName, List<Event>> out = new TreeMap<>();
        for (ModelName model : models) {
            List<Event> events = events(model, stamps.get(model), () -> scanning.get().get(model),
                    () -> listing.get().getOrDefault(model, List.of()));
            if (!events.isEmpty()) {
                out.put(model, events); // a model of lightweight tags alone is no model (GTO ignores them)
            }
        }
        return out;
    }

    /** The number the model's next event gets: one more than any number in use. */
    public static long nextNumber(List<Event> events) {
        return events.stream().map(Event::number).filter(n -> n != null).mapToLong(Long::longValue).max().orElse(0) + 1;
    }

    public static State replay(List<Event> events) {
        Map<StageName, String> stages = new TreeMap<>();
        Set<String> deprecated = new LinkedHashSet<>();
        boolean modelDeprecated = false;
        for (Event e : events) {
            switch (e.event()) {
                case PROMOTION, ROLLBACK -> {
                    if (e.version() != null) {
                        stages.put(e.stage(), e.version());
                    }
                }
                case DEMOTION -> {
                    if (e.version() == null || e.version().equals(stages.get(e.stage()))) {
                        stages.remove(e.stage());
                    }
                }
                case DEPRECATION -> deprecated.add(e.version());
                case MODEL_DEPRECATION -> modelDeprecated = true;
                case REGISTRATION -> {
                    // GTO reads a registration after a deprecation as a return: of the model, and of the version
                    // when it is registered again (counted, NAME@vX.Y.Z#N, after NAME@vX.Y.Z!), as the name listing
                    // of GitRegistry reads it; a plain NAME@vX.Y.Z placed after it only by a skewed date is not.
                    modelDeprecated = false;
                    if (e.tag().indexOf('#') >= 0) {
                        deprecated.remove(e.version());
                    }
                }
            }
        }
        return new State(stages, deprecated, modelDeprecated);
    }

    /** The events up to and including the one whose tag is {@code tag}; exit 4 when no event has that tag. */
    public static List<Event> upToTag(List<Event> events, String tag) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).tag().equals(tag)) {
                return events.subList(0, i + 1);
            }
        }
        throw MverException.notFound("no event with tag '%s'", Text.printable(tag, 80));
    }

    /**
     * The state at {@code time}: the longest prefix of the events, in their order, whose times are all at or before
     * it. An event dated back by a skewed clock cannot make the past show a state that never existed: what
     * happened after a later event happened after it, whatever its date says.
     */
    public static List<Event> upToTime(List<Event> events, Instant time) {
        int end = 0;
        while (end < events.size() && events.get(end).time() != null && !events.get(end).time().isAfter(time)) {
            end++;
        }
        return events.subList(0, end);
    }

    /** The events at or after {@code time}: all that follow the longest prefix dated before it (see {@link #upToTime}). */
    public static List<Event> fromTime(List<Event> events, Instant time) {
        int start = 0;
        while (start < events.size() && events.get(start).time() != null && events.get(start).time().isBefore(time)) {
            start++;
        }
        return events.subList(start, events.size());
    }

    /**
     * The tags of events dated before the event just before them: where the dates and the order disagree (one of
     * the two clocks was off). Only the inversion is named, not every later event after a date from the future.
     */
    public static Set<String> outOfOrder(List<Event> events) {
        Set<String> out = new LinkedHashSet<>();
        Instant previous = null;
        for (Event e : events) {
            if (e.time() == null) {
                continue;
            }
            if (previous != null && e.time().isBefore(previous)) {
                out.add(e.tag());
            }
            previous = e.time();
        }
        return out;
    }

    private List<Event> read(ModelName model, List<Ref> refs, EventCache cache) {
        List<Read> registrations = new ArrayList<>();
        List<Read> others = new ArrayList<>();
        Map<ObjectId, String> versionByCommit = new HashMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : refs) {
                EventTag t = EventTag.parseOrNull(ref.getName());
                if (t == null || !t.model().equals(model)) {
                    continue;
                }
                EventCache.Facts facts = cache.get(ref.getObjectId(), ref.getName());
                if (facts == null) {
                    facts = facts(walk, ref.getObjectId(), t);
                    cache.put(ref.getObjectId(), ref.getName(), facts);
                }
                if (!facts.annotated()) {
                    continue; // lightweight: not an event (verify reports it)
                }
                if (t.kind() == EventTag.Kind.REGISTER) {
                    versionByCommit.put(facts.commit(), t.version().toString());
                    registrations.add(new Read(t, facts, ref.getObjectId()));
                } else {
                    others.add(new Read(t, facts, ref.getObjectId()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tags of " + model + ": " + e.getMessage(), e);
        }
        // mver's registrations start somewhere; a version above that without a payload replaced one of them.
        SemVer firstMver = registrations.stream().filter(r -> r.facts().artifacts() != null).map(r -> r.tag().version())
                .min(Comparator.naturalOrder()).orElse(null);
        List<Event> all = new ArrayList<>();
        for (Read r : registrations) {
            EventCache.Facts facts = r.facts();
            Origin origin = facts.artifacts() != null ? Origin.MVER : facts.number() != null ? Origin.TAMPERED
                    : firstMver != null && firstMver.compareTo(r.tag().version()) < 0 ? Origin.TAMPERED
                    : Origin.OTHER_TOOL;
            // GTO's counted form (NAME@vX.Y.Z#N) carries its number in the name, as its stage tags do.
            Long number = r.tag().number() != null ? r.tag().number() : facts.number();
            all.add(event(number, EventType.REGISTRATION, r.tag(), r.tag().version().toString(), null, facts,
                    r.tagObject(), origin));
        }
        for (Read o : others) {
            EventTag t = o.tag();
            EventCache.Facts facts = o.facts();
            // A model's deprecation concerns no version, whatever commit GTO put its tag on.
            String version = t.kind() == EventTag.Kind.DEPRECATE_MODEL ? null : facts.version() != null ? facts.version()
                    : t.version() != null ? t.version().toString() : versionByCommit.get(facts.commit());
            EventType type = switch (t.kind()) {
                case ASSIGN -> EventType.fromWord(facts.event()) == EventType.ROLLBACK ? EventType.ROLLBACK
                        : EventType.PROMOTION;
                case UNASSIGN -> EventType.DEMOTION;
                case DEREGISTER -> EventType.DEPRECATION;
                case DEPRECATE_MODEL -> EventType.MODEL_DEPRECATION;
                case REGISTER -> EventType.REGISTRATION;
            };
            Long number = t.number() != null ? t.number() : facts.number();
            Origin origin = facts.event() != null || facts.number() != null ? Origin.MVER : Origin.OTHER_TOOL;
            all.add(event(number, type, t, version, t.stage(), facts, o.tagObject(), origin));
        }
        return all;
    }

    /** A registry tag read, not yet placed: what its name and its tag object say. */
    private record Read(EventTag tag, EventCache.Facts facts, ObjectId tagObject) {
    }

    /** What the tag object behind a registry ref says; read once per object, then remembered (EventCache). */
    static EventCache.Facts facts(RevWalk walk, ObjectId id, EventTag t) throws IOException {
        RevObject obj = walk.parseAny(id);
        if (!(obj instanceof RevTag tag)) {
            return EventCache.Facts.LIGHTWEIGHT;
        }
        RevObject target = walk.peel(tag);
        ObjectId commit = target.copy();
        PersonIdent who = tag.getTaggerIdent();
        String by = who == null ? "" : who.getEmailAddress().isEmpty() ? who.getName()
                : who.getName() + " <" + who.getEmailAddress() + ">";
        Instant time = who == null ? null : who.getWhenAsInstant();
        String message = tag.getFullMessage();
        if (t.kind() == EventTag.Kind.REGISTER) {
            TagPayload verified = verifiedPayload(t, tag, target);
            TagPayload payload = verified != null ? verified : registrationPayload(t, message);
            TagPayload.Previous previous = verified == null ? null : verified.previous();
            return new EventCache.Facts(true, commit, by, time, payload == null ? null : payload.seq(), null, null,
                    payload == null ? TagMessage.summary(message) : payload.reason(),
                    verified == null ? null : verified.artifacts(),
                    previous == null ? null : previous.version() + " " + previous.tagObject(), false, null);
        }
        EventPayload payload = payloadOrNull(t, message);
        return payload == null
                ? new EventCache.Facts(true, commit, by, time, null, null, null, TagMessage.summary(message), null,
                        null, false, null)
                : new EventCache.Facts(true, commit, by, time, payload.number(), payload.version(), payload.event(),
                        payload.reason(), null, null, false, null);
    }

    /**
     * The payload when the tag passes the checks of a verified read, else null: only such a payload's artifacts are
     * cached; history still shows the seq and reason of a lenient read.
     */
    private static TagPayload verifiedPayload(EventTag t, RevTag tag, RevObject target) {
        try {
            return GitRegistry.verifiedPayload(new TagName(t.model(), t.version()), tag, target);
        } catch (MverException e) {
            return null;
        }
    }

    private static TagPayload registrationPayload(EventTag t, String message) {
        try {
            return TagMessage.payloadJson(message) == null ? null : TagPayload.fromMessage(t.shortName(), message);
        } catch (MverException e) {
            return null; // malformed: history shows the tag as a foreign registration; verify reports it
        }
    }

    private static EventPayload payloadOrNull(EventTag t, String message) {
        try {
            return EventPayload.fromMessageOrNull(t.shortName(), message);
        } catch (MverException e) {
            return null;
        }
    }

    private static Event event(Long number, EventType kind, EventTag t, String version, StageName stage,
                               EventCache.Facts facts, ObjectId tagObject, Origin origin) {
        Instant time = facts.time();
        return new Event(number, kind, t.model(), version, stage, t.shortName(), facts.by(),
                time == null ? null : time.toString(), facts.reason(), origin, time, facts.commit(), tagObject);
    }

    static List<Event> order(List<Event> events) {
        List<Event> numbered = events.stream().filter(e -> e.number() != null)
                .sorted(Comparator.comparing(Event::number).thenComparing(Event::tag)).toList();
        List<Event> unnumbered = events.stream().filter(e -> e.number() == null).sorted(BY_TIME).toList();
        // A merge, not a sort: numbered events keep their number order whatever their clocks say, and events
        // without a number slot in by time (registrations first within one second, then stage moves, then
        // deprecations), ties going to the numbered event.
        List<Event> out = new ArrayList<>(events.size());
        int i = 0;
        int j = 0;
        while (i < numbered.size() || j < unnumbered.size()) {
            if (j == unnumbered.size() || (i < numbered.size() && BY_TIME.compare(numbered.get(i), unnumbered.get(j)) <= 0)) {
                out.add(numbered.get(i++));
            } else {
                out.add(unnumbered.get(j++));
            }
        }
        return out;
    }

    private static final Comparator<Event> BY_TIME = Comparator
            .comparing((Event e) -> e.time() == null ? Instant.EPOCH : e.time().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
            .thenComparingInt(EventLog::rank);

    private static int rank(Event e) {
        return switch (e.event()) {
            case REGISTRATION -> 0;
            case DEPRECATION, MODEL_DEPRECATION -> 2;
            default -> 1;
        };
    }
}
