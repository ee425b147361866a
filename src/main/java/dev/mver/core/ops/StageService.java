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

    public StageService(Repository repo, WorkspaceConfig config, GitIdentity identity) {
        this.config = config;
        this.tags = new TagWriter(repo, identity);
        this.registry = new GitRegistry(repo);
        this.log = new EventLog(repo);
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

    /** The earlier occupant of {@code stage} to go back to: {@code to} if it was one, else the last one before. */
    private static String rollbackTarget(List<EventLog.Event> events, ModelName model, StageName stage,
                                         String current, SemVer to) {
        List<String> earlier = new ArrayList<>();
        for (EventLog.Event e : events) {
            if (e.isAssignment() && stage.equals(e.stage()) && e.version() != null) {
                earlier.remove(e.version());
                earlier.add(e.version());
            }
        }
        earlier.remove(current);
        String target;
        if (to != null) {
            target = to.toString();
            if (!earlier.contains(target)) {
                throw MverException.notFound("%s@%s was never in %s before %s", model, to.tagForm(), stage,
                        "v" + current);
            }
        } else {
            if (earlier.isEmpty()) {
                throw MverException.notFound("%s has no earlier occupant of %s to roll back to", model, stage);
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
        boolean passed = events.stream().anyMatch(e -> e.isAssignment() && before.equals(e.stage())
                && version.version().toString().equals(e.version()));
        if (!passed) {
            throw MverException.policy("%s has not been in %s, which comes before %s (promote it there first, or "
                    + "pass --force)", version, before, stage);
        }
    }

    private Result write(ModelName model, Plan plan) {
        TagWriter.Written<Decision> written = tags.write(model, true, () -> {
            List<EventLog.Event> events = log.events(model);
            Decision d = plan.decide(events, EventLog.nextNumber(events));
            return new TagWriter.Write<>(d.tag().shortName(), d.commit(), null, d.payload().toMessage(), d);
        });
        EventPayload p = written.plan().payload();
        return new Result(p.type(), written.plan().tag().shortName(), model, p.version(), p.stage(), p.number(),
                p.previous());
    }
}
