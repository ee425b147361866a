package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.EventType;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Origin;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.Text;
import dev.mver.core.value.VersionSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;

/** The read commands' answers: models, one version's record, a model's history of versions. */
public final class ModelQueries {
    private final GitRegistry registry;
    private final EventLog events;

    public ModelQueries(Repository repo) {
        this.registry = new GitRegistry(repo);
        this.events = new EventLog(repo); // read commands only; saved when an answer succeeds
    }

    @JsonPropertyOrder({"model", "stages", "deprecated_versions", "deprecated"})
    public record StagesView(ModelName model, Map<StageName, String> stages, java.util.Set<String> deprecatedVersions,
                             boolean deprecated) {
    }

    /**
     * What is in each stage of each model (or one model), now or at a point in history: {@code at} is an
     * ISO-8601 date (end of that day, UTC) or date-time, or the name of an event tag.
     */
    public List<StagesView> stages(ModelName model, String at, List<StageName> configuredStages) {
        Map<ModelName, List<EventLog.Event>> all;
        if (model != null) {
            List<EventLog.Event> e = events.events(model);
            if (e.isEmpty()) {
                throw MverException.notFound("model '%s' has no registered versions", model);
            }
            all = Map.of(model, e);
        } else {
            all = events.all();
        }
        Instant time = at == null ? null : parseTime(at);
        if (at != null && time == null && at.matches("\\d{4}-[^#@]*")) { // meant as a date: say which forms are read
            throw MverException.usage("--at '%s' is neither a date (2026-11-01), a date-time (2026-11-01T12:00:00Z or "
                    + "2026-11-01T12:00:00, UTC) nor an event tag (NAME#STAGE#N)", Text.printable(at, 40));
        }
        List<StagesView> out = new ArrayList<>();
        boolean tagFound = false;
        for (Map.Entry<ModelName, List<EventLog.Event>> m : new java.util.TreeMap<>(all).entrySet()) {
            List<EventLog.Event> upTo = m.getValue();
            if (at != null && time != null) {
                upTo = EventLog.upToTime(upTo, time);
            } else if (at != null) {
                if (upTo.stream().noneMatch(e -> e.tag().equals(at))) {
                    continue;
                }
                tagFound = true;
                upTo = EventLog.upToTag(upTo, at);
            }
            EventLog.State state = EventLog.replay(upTo);
            Map<StageName, String> stages = new java.util.LinkedHashMap<>();
            configuredStages.forEach(st -> stages.put(st, state.stages().get(st)));
            // Stages outside the configuration (a GTO registry's own) still show, empty or not.
            upTo.stream().filter(e -> e.stage() != null).forEach(e -> stages.putIfAbsent(e.stage(), null));
            state.stages().forEach(stages::put);
            out.add(new StagesView(m.getKey(), stages, state.deprecated(), state.modelDeprecated()));
        }
        if (at != null && time == null && !tagFound) {
            throw MverException.notFound("no event with tag '%s'", Text.printable(at, 80));
        }
        events.saveCache();
        return out;
    }

    /**
     * {@code model}'s events, newest first (by event number), or oldest first with {@code reverse}; with no model,
     * every model's, by time (then model and number).
     */
    public List<EventLog.Event> history(ModelName model, boolean reverse) {
        List<EventLog.Event> e;
        if (model == null) {
            e = new ArrayList<>();
            events.all().values().forEach(e::addAll);
            e.sort(java.util.Comparator.comparing((EventLog.Event x) -> x.time() == null ? Instant.EPOCH : x.time())
                    .thenComparing(x -> x.model().value())
                    .thenComparing(x -> x.number() == null ? 0L : x.number()));
        } else {
            e = new ArrayList<>(events.events(model));
            if (e.isEmpty()) {
                throw MverException.notFound("model '%s' has no registered versions", model);
            }
        }
        events.saveCache();
        if (!reverse) {
            java.util.Collections.reverse(e);
        }
        return e;
    }

    /** An ISO-8601 date (meaning the end of that day, UTC) or date-time; null when {@code text} is neither. */
    static Instant parseTime(String text) {
        try {
            return java.time.LocalDate.parse(text).plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant()
                    .minusNanos(1);
        } catch (java.time.format.DateTimeParseException e) {
            // not a date
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            // not a date-time with offset
        }
        try {
            return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    /**
     * A model in {@code list}: its latest version (null when every version is deprecated), how many it has, whether
     * the model is retired ({@code NAME@deprecated}); {@code problem} (only when there is one) says the latest
     * version's tag replaced mver's registration.
     */
    @JsonPropertyOrder({"model", "latest", "versions", "stages", "deprecated", "problem"})
    public record ModelSummary(ModelName model, String latest, int versions, Map<String, String> stages,
                               boolean deprecated, @JsonInclude(JsonInclude.Include.NON_NULL) String problem) {
    }

    /**
     * One version in {@code show}: {@code metadata} is null for another tool's version whose commit holds no
     * record, and {@code message} is that tool's tag message (mver's is its record).
     */
    @JsonPropertyOrder({"tag", "tagger", "tagged_at", "commit", "origin", "stages", "deprecated", "message",
            "metadata"})
    public record VersionDetails(String tag, String tagger, String taggedAt, String commit, Origin origin,
                                 List<String> stages, boolean deprecated, String message, Metadata metadata) {
    }

    /** One version in {@code log}: {@code stages} it holds now, whether it is deprecated. */
    @JsonPropertyOrder({"model", "version", "tag", "date", "tagger", "reason", "origin", "stages", "deprecated"})
    public record LogEntry(ModelName model, String version, String tag, String date, String tagger, String reason,
                           Origin origin, List<String> stages, boolean deprecated) {
    }

    /** The stages {@code version} holds in {@code state}, by stage name. */
    private static List<String> stagesOf(EventLog.State state, String version) {
        return state.stages().entrySet().stream().filter(e -> e.getValue().equals(version))
                .map(e -> e.getKey().value()).sorted().toList();
    }

    private static Map<String, String> stageMap(EventLog.State state) {
        Map<String, String> out = new java.util.TreeMap<>();
        state.stages().forEach((stage, version) -> out.put(stage.value(), version));
        return out;
    }

    /**
     * Names only, and for each model the latest version's tag object (whether it carries a payload): no payload
     * is parsed, so this stays fast with thousands of versions.
     */
    public List<ModelSummary> list(boolean includePreRelease) {
        List<ModelSummary> out = new ArrayList<>();
        java.util.Set<ModelName> retired = new java.util.HashSet<>();
        List<String> tagNames = events.tagNames(); // one listing of names serves both
        for (ModelName m : GitRegistry.modelsWithDeprecationTags(tagNames)) {
            if (EventLog.replay(events.events(m)).modelDeprecated()) {
                retired.add(m); // until a registration after it brings the model back
            }
        }
        for (Map.Entry<ModelName, List<SemVer>> e : registry.models(tagNames).entrySet()) {
            List<SemVer> v = e.getValue();
            if (!registry.annotated(new TagName(e.getKey(), v.get(v.size() - 1)))) {
                // Rare: read every tag only when the highest is lightweight, which no tool counts as a version.
                v = v.stream().filter(x -> registry.annotated(new TagName(e.getKey(), x))).toList();
                if (v.isEmpty()) {
                    continue;
                }
            }
            SemVer top = v.get(v.size() - 1);
            // None when every version is deprecated (deregistered), as GTO reads it.
            String latest = registry.latest(e.getKey(), includePreRelease).map(SemVer::toString).orElse(null);
            Origin origin = registry.originAtAGlance(new TagName(e.getKey(), top));
            out.add(new ModelSummary(e.getKey(), latest, v.size(), stageMap(EventLog.replay(events.events(e.getKey()))),
                    retired.contains(e.getKey()),
                    origin != Origin.TAMPERED ? null
                    : "v" + top + " carries no mver payload, yet an earlier version does: the tag was replaced "
                    + "(tampered); run mver verify"));
        }
        return out;
    }

    public VersionDetails show(VersionSpec spec) {
        Registration reg = registry.readAny(resolve(spec));
        EventLog.State state = EventLog.replay(events.events(reg.tag().model()));
        String version = reg.tag().version().toString();
        events.saveCache();
        return new VersionDetails(reg.tag().shortName(), person(reg), time(reg.taggedAt()), reg.commit().name(),
                reg.origin(), stagesOf(state, version), state.deprecated().contains(version),
                reg.payload() == null ? reg.message().strip() : null, registry.metadata(reg));
    }

    public Metadata metadata(VersionSpec spec) {
        return registry.metadata(registry.read(resolve(spec)));
    }

    /**
     * {@link GitRegistry#resolve}, a stage answered from the event cache (a read command: 22,000 events need not be
     * read again to say what is in production); the version found is then read and checked in full.
     */
    private TagName resolve(VersionSpec spec) {
        TagName tag = registry.resolve(spec, events);
        events.saveCache();
        return tag;
    }

    /**
     * A model's versions, newest first, from its registration events: the event cache answers for every tag read
     * before, so 20,000 versions cost one ref listing, not 20,000 tag, commit and record reads. A replaced tag is
     * listed and marked; show and verify say what is wrong with it.
     */
    public List<LogEntry> log(ModelName model) {
        return log(model, false);
    }

    /**
     * {@code model}'s versions, newest first (oldest first with {@code reverse}); with no model, every model's
     * registrations by date.
     */
    public List<LogEntry> log(ModelName model, boolean reverse) {
        List<EventLog.Event> registrations = new ArrayList<>();
        if (model == null) {
            events.all().values().forEach(list -> list.stream()
                    .filter(e -> e.event() == EventType.REGISTRATION && e.version() != null).forEach(registrations::add));
            registrations.sort(java.util.Comparator.comparing((EventLog.Event e) -> e.time() == null ? Instant.EPOCH
                    : e.time()).thenComparing(e -> e.model().value()).thenComparing(e -> SemVer.parse(e.version()))
                    .reversed());
        } else {
            events.events(model).stream().filter(e -> e.event() == EventType.REGISTRATION && e.version() != null)
                    .forEach(registrations::add);
            if (registrations.isEmpty()) {
                throw MverException.notFound("model '%s' has no registered versions", model);
            }
            registrations.sort(java.util.Comparator.comparing((EventLog.Event e) -> SemVer.parse(e.version()))
                    .reversed());
        }
        if (reverse) {
            java.util.Collections.reverse(registrations);
        }
        Map<ModelName, EventLog.State> states = new java.util.HashMap<>();
        List<LogEntry> out = new ArrayList<>();
        for (EventLog.Event e : registrations) {
            EventLog.State state = states.computeIfAbsent(e.model(), m -> EventLog.replay(events.events(m)));
            out.add(new LogEntry(e.model(), e.version(), e.tag(), e.time() == null ? null : time(e.time()), e.by(),
                    e.origin() == Origin.TAMPERED ? "carries no mver payload, yet an earlier version does: the tag was "
                    + "replaced (tampered); run mver verify" : e.reason(), e.origin(), stagesOf(state, e.version()),
                    state.deprecated().contains(e.version())));
        }
        events.saveCache();
        return out;
    }

    /**
     * What {@code log --where/--stage/--deprecated} asks of a version: every condition on its record, the stage it
     * holds now, whether it is deprecated. Empty: every version.
     */
    public record VersionQuery(List<dev.mver.core.value.RecordFilter> where, StageName stage, boolean deprecated) {
        public static final VersionQuery ALL = new VersionQuery(List.of(), null, false);

        public VersionQuery {
            where = where == null ? List.of() : List.copyOf(where);
        }

        public boolean isEmpty() {
            return where.isEmpty() && stage == null && !deprecated;
        }
    }

    /**
     * {@link #list(boolean)}, only the models {@code query} asks for: whose latest version's record meets every
     * condition, that have a version in the stage, that are deprecated.
     */
    public List<ModelSummary> list(boolean includePreRelease, VersionQuery query) {
        List<ModelSummary> all = list(includePreRelease);
        if (query.isEmpty()) {
            return all;
        }
        return all.stream().filter(m -> (query.stage() == null || m.stages().containsKey(query.stage().value()))
                && (!query.deprecated() || m.deprecated())
                && (query.where().isEmpty() || m.latest() != null && m.problem() == null
                && recordMatches(m.model(), m.latest(), query.where()))).toList();
    }

    /** What each registration's record adds to its event ({@link EventLog#recordSummaries}). */
    public Map<EventLog.Event, EventLog.RecordSummary> recordSummaries(List<EventLog.Event> registrations) {
        Map<EventLog.Event, EventLog.RecordSummary> out = events.recordSummaries(registrations);
        events.saveCache();
        return out;
    }

    /** {@link #log(ModelName, boolean)}, only the versions {@code query} asks for (reading a record only if it must). */
    public List<LogEntry> log(ModelName model, boolean reverse, VersionQuery query) {
        List<LogEntry> all = log(model, reverse);
        if (query.isEmpty()) {
            return all;
        }
        List<LogEntry> candidates = all.stream().filter(e -> (query.stage() == null
                || e.stages().contains(query.stage().value())) && (!query.deprecated() || e.deprecated())
                && (query.where().isEmpty() || e.origin() != Origin.TAMPERED)).toList();
        if (query.where().isEmpty()) {
            return candidates;
        }
        // Dataset, feature set, parent version and metrics are in the event cache (as audit and the report read
        // them): a lineage or metric query over 10,000 versions then reads no record after the first.
        boolean summaryOnly = query.where().stream().allMatch(f -> SUMMARY_FIELDS.contains(f.field())
                || f.field().startsWith("metrics."));
        Map<ModelName, Map<String, EventLog.Event>> registrations = new java.util.HashMap<>();
        Map<LogEntry, EventLog.Event> regs = new java.util.IdentityHashMap<>();
        if (summaryOnly) {
            candidates.forEach(e -> {
                EventLog.Event reg = registrations.computeIfAbsent(e.model(), this::registrationsOf).get(e.tag());
                if (reg != null) {
                    regs.put(e, reg);
                }
            });
        }
        Map<EventLog.Event, EventLog.RecordSummary> summaries = events.recordSummaries(List.copyOf(regs.values()));
        List<LogEntry> out = new ArrayList<>();
        for (LogEntry e : candidates) {
            EventLog.Event reg = regs.get(e);
            EventLog.RecordSummary summary = reg == null ? null : summaries.get(reg);
            var tree = summary == null ? null : summary.asTree();
            boolean matches = reg != null ? tree != null && query.where().stream().allMatch(f -> f.matches(tree))
                    : recordMatches(e.model(), e.version(), query.where());
            if (matches) {
                out.add(e);
            }
        }
        events.saveCache();
        return out;
    }

    private static final java.util.Set<String> SUMMARY_FIELDS = java.util.Set.of("dataset_snapshot_id",
            "feature_set_version", "parent_version", "metrics");

    private Map<String, EventLog.Event> registrationsOf(ModelName model) {
        Map<String, EventLog.Event> byTag = new java.util.HashMap<>();
        events.events(model).stream().filter(ev -> ev.event() == EventType.REGISTRATION)
                .forEach(ev -> byTag.put(ev.tag(), ev));
        return byTag;
    }

    /**
     * Whether a version's record meets every condition. A version with no record (another tool's) or one that cannot
     * be read (damaged: verify says why) matches none, as the cached summaries answer: one broken model must not fail
     * a query over the whole registry.
     */
    private boolean recordMatches(ModelName model, String version, List<dev.mver.core.value.RecordFilter> where) {
        Metadata m;
        try {
            m = registry.metadata(registry.readAny(new TagName(model, SemVer.parse(version))));
        } catch (MverException e) {
            return false;
        }
        if (m == null) {
            return false;
        }
        com.fasterxml.jackson.databind.JsonNode tree = dev.mver.core.value.Json.mapper().valueToTree(m);
        return where.stream().allMatch(f -> f.matches(tree));
    }

    /** One version's metrics: a row of {@link MetricsTable}. */
    @JsonPropertyOrder({"version", "date", "metrics"})
    public record MetricsRow(String version, String date, Map<String, com.fasterxml.jackson.databind.JsonNode> metrics) {
    }

    /** A model's metrics across its versions, newest first; {@code columns} every metric any version has, sorted. */
    @JsonPropertyOrder({"model", "columns", "versions"})
    public record MetricsTable(ModelName model, List<String> columns, List<MetricsRow> versions) {
    }

    /** The metrics of each of {@code model}'s versions that holds an mver record, newest first. */
    public MetricsTable metrics(ModelName model) {
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        List<MetricsRow> rows = new ArrayList<>();
        for (LogEntry e : log(model)) {
            if (e.origin() == Origin.TAMPERED) {
                continue;
            }
            Metadata m = registry.metadata(registry.readAny(new TagName(model, SemVer.parse(e.version()))));
            if (m == null) {
                continue; // another tool's version: no record, no metrics
            }
            columns.addAll(m.metrics().keySet());
            rows.add(new MetricsRow(e.version(), e.date(), new java.util.TreeMap<>(m.metrics())));
        }
        return new MetricsTable(model, List.copyOf(columns), rows);
    }

    /** ISO-8601 in UTC, the same on every machine. */
    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String person(Registration reg) {
        return reg.taggerEmail().isEmpty() ? reg.tagger() : reg.tagger() + " <" + reg.taggerEmail() + ">";
    }
}
