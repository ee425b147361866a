package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.TagWriter;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Stage moves and deprecations as events, never rewrites: each is a new annotated tag in GTO's grammar with an
 * mver payload, written by the {@link TagWriter} with the model's next event number. When another process takes
 * that number first, the move is decided again from the events as they now are; nothing is lost or overwritten.
 */
public final class StageService {
    private final WorkspaceConfig config;
    private final TagWriter tags;
    private final GitRegistry registry;
    private final EventLog log;

    /** {@code log}: the command's writer's event log ({@link EventLog#EventLog}), shared with its clock check. */
    public StageService(Repository repo, WorkspaceConfig config, GitIdentity identity, EventLog log) {
        this.config = config;
        this.tags = new TagWriter(repo, identity);
        this.registry = new GitRegistry(repo);
        this.log = log;
    }

    @JsonPropertyOrder({"event", "tag", "model", "version", "stage", "number", "previous"})
    public record Result(EventType event, String tag, ModelName model, String version, StageName stage, long number,
                         String previous) {
    }

    /** Decides the event from the model's current events and its next number; throws when it is not allowed. */
    private interface Plan {
        Decision decide(List<EventLog.Event> events, long number);
    }

    private record Decision(EventTag tag, EventPayload payload, ObjectId commit) {
    }

    public Result promote(VersionSpec spec, StageName stage, String reason, boolean force) {
        requireReason(reason);
        config.requireStage(stage);
        TagName version = versionTag(spec);
        ObjectId commit = registry.commitOf(version);
        return write(version.model(), (events, n) -> {
            EventLog.State state = EventLog.replay(events);
            String v = version.version().toString();
            if (state.deprecated().contains(v)) {
                throw MverException.policy("%s is deprecated and cannot be promoted", version);
            }
            if (state.modelDeprecated() && !force) {
                throw MverException.policy("model %s is deprecated (%s@deprecated): it is retired, so nothing of it is "
                        + "promoted; pass --force to promote anyway", version.model(), version.model());
            }
            if (v.equals(state.stages().get(stage))) {
                throw MverException.conflict("%s is already in %s", version, stage);
            }
            requireOrder(events, version, stage, force);
            return new Decision(EventTag.assign(version.model(), stage, n), new EventPayload(version.model(),
                    EventType.PROMOTION, v, stage, n, state.stages().get(stage), reason.strip()), commit);
        });
    }

    public Result rollback(ModelName model, StageName stage, SemVer to, String reason) {
        requireReason(reason);
        config.requireStage(stage);
        return write(model, (events, n) -> {
            String current = EventLog.replay(events).stages().get(stage);
            if (current == null) {
                throw MverException.notFound("%s has nothing in %s to roll back", model, stage);
            }
            String target = rollbackTarget(events, model, stage, current, to);
            TagName tag = new TagName(model, SemVer.parse(target));
            return new Decision(EventTag.assign(model, stage, n), new EventPayload(model, EventType.ROLLBACK, target,
                    stage, n, current, reason.strip()), registry.commitOf(tag));
        });
    }

    /**
     * A stage's past as a stack of occupants (the last is the current one), and the versions that left it in
     * disgrace since their last promotion: demoted from it, or rolled back from. A rollback pops the current
     * occupant, so rolling back twice walks further back instead of returning to what the first one left.
     */
    private record StageHistory(List<String> stack, java.util.Set<String> discarded) {
        static StageHistory of(List<EventLog.Event> events, StageName stage) {
            StageHistory h = new StageHistory(new ArrayList<>(), new java.util.HashSet<>());
            for (EventLog.Event e : events) {
                if (!stage.equals(e.stage()) || e.version() == null) {
                    continue;
                }
                String v = e.version();
                switch (e.event()) {
                    case PROMOTION -> h.occupy(v);
                    case ROLLBACK -> {
                        if (!h.stack.isEmpty()) {
                            h.discarded.add(h.stack.remove(h.stack.size() - 1));
                        }
                        h.occupy(v);
                    }
                    case DEMOTION -> {
                        h.stack.remove(v);
                        h.discarded.add(v);
                    }
                    default -> {
                    }
                }
            }
            return h;
        }

        private void occupy(String v) {
            stack.remove(v);
            stack.add(v);
            discarded.remove(v);
        }
    }

    /**
     * The earlier occupant of {@code stage} to go back to: {@code to} if it was one, else the last one before that
     * did not leave the stage in disgrace (demoted from it, or rolled back from, since its last promotion).
     */
    private static String rollbackTarget(List<EventLog.Event> events, ModelName model, StageName stage,
                                         String current, SemVer to) {
        String target;
        if (to != null) {
            target = to.toString();
            boolean wasThere = events.stream().anyMatch(e -> stage.equals(e.stage()) && target.equals(e.version())
                    && e.isAssignment());
            if (!wasThere || target.equals(current)) {
                throw MverException.notFound("%s@%s was never in %s before %s", model, to.tagForm(), stage,
                        "v" + current);
            }
        } else {
            StageHistory h = StageHistory.of(events, stage);
            List<String> earlier = new ArrayList<>(h.stack());
            earlier.remove(current);
            earlier.removeAll(h.discarded());
            if (earlier.isEmpty()) {
                throw MverException.notFound("%s has no earlier occupant of %s to roll back to (versions demoted from "
                        + "it or rolled back from are skipped: name one with --to)", model, stage);
            }
            target = earlier.get(earlier.size() - 1);
        }
        if (EventLog.replay(events).deprecated().contains(target)) {
            throw MverException.policy("%s@v%s is deprecated; roll back to another version with --to", model, target);
        }
        return target;
    }

    public Result demote(ModelName model, StageName stage, String reason) {
        requireReason(reason);
        config.requireStage(stage);
        return write(model, (events, n) -> {
            String current = EventLog.replay(events).stages().get(stage);
            if (current == null) {
                throw MverException.notFound("%s has nothing in %s", model, stage);
            }
            TagName tag = new TagName(model, SemVer.parse(current));
            return new Decision(EventTag.unassign(model, stage, n), new EventPayload(model, EventType.DEMOTION,
                    current, stage, n, null, reason.strip()), registry.commitOf(tag));
        });
    }

    public Result deprecate(VersionSpec spec, String reason) {
        requireReason(reason);
        TagName version = versionTag(spec);
        ObjectId commit = registry.commitOf(version);
        return write(version.model(), (events, n) -> {
            if (EventLog.replay(events).deprecated().contains(version.version().toString())) {
                throw MverException.conflict("%s is already deprecated", version);
            }
            return new Decision(EventTag.deregister(version.model(), version.version()), new EventPayload(
                    version.model(), EventType.DEPRECATION, version.version().toString(), null, n, null,
                    reason.strip()), commit);
        });
    }

    private TagName versionTag(VersionSpec spec) {
        if (!spec.hasVersion()) {
            throw MverException.usage("give a version: %s@vX.Y.Z", spec.model());
        }
        return registry.resolve(spec);
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw MverException.usage("a reason is required: -m \"why\"");
        }
    }

    /** With a promotion order configured, a version reaches a stage only through the stage before it. */
    private void requireOrder(List<EventLog.Event> events, TagName version, StageName stage, boolean force) {
        List<StageName> order = config.promotionOrder();
        if (order == null || force) {
            return;
        }
        int i = order.indexOf(stage);
        if (i <= 0) {
            return;
        }
        StageName before = order.get(i - 1);
        String v = version.version().toString();
        boolean passed = events.stream().anyMatch(e -> e.isAssignment() && before.equals(e.stage())
                && v.equals(e.version()));
        if (!passed) {
            throw MverException.policy("%s has not been in %s, which comes before %s (promote it there first, or "
                    + "pass --force)", version, before, stage);
        }
        // In the stage, or gone on from it by a newer promotion; not demoted from it or rolled back from ("failed QA").
        if (StageHistory.of(events, before).discarded().contains(v)) {
            throw MverException.policy("%s was demoted from %s (or rolled back from it), which comes before %s; "
                    + "promote it to %s again first, or pass --force", version, before, stage, before);
        }
    }

    private Result write(ModelName model, Plan plan) {
        TagWriter.Written<Decision> written = tags.write(model, true, () -> {
            List<EventLog.Event> events = log.events(model);
            Decision d = plan.decide(events, EventLog.nextNumber(events));
            return new TagWriter.Write<>(d.tag().shortName(), d.commit(), null, d.payload().toMessage(), d);
        });
        log.wrote(model, org.eclipse.jgit.lib.Constants.R_TAGS + written.plan().tag().shortName(),
                written.tagObject());
        log.saveCache();
        EventPayload p = written.plan().payload();
        return new Result(p.type(), written.plan().tag().shortName(), model, p.version(), p.stage(), p.number(),
                p.previous());
    }
}
