package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.git.EventCounter;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.GitLocks;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Stage moves and deprecations as events, never rewrites: each is a new annotated tag in GTO's grammar with an
 * mver payload, created together with a compare-and-swap of the model's event counter. When another process takes
 * the same event number first, the move is recomputed with the next number; nothing is ever lost or overwritten.
 */
public final class StageService {
    private static final int ATTEMPTS = 20;

    private final Repository repo;
    private final WorkspaceConfig config;
    private final GitIdentity identity;
    private final GitRegistry registry;
    private final EventLog log;

    public StageService(Repository repo, WorkspaceConfig config, GitIdentity identity) {
        this.repo = repo;
        this.config = config;
        this.identity = identity;
        this.registry = new GitRegistry(repo);
        this.log = new EventLog(repo);
    }

    @JsonPropertyOrder({"event", "tag", "model", "version", "stage", "number", "previous"})
    public record Result(String event, String tag, ModelName model, String version, String stage, long number,
                         String previous) {
    }

    private interface Plan {
        /** Decides the event from the model's current events; throws when it is not allowed. */
        Decision decide(List<EventLog.Event> events, long number);
    }

    private record Decision(EventTag tag, EventPayload payload, ObjectId commit) {
    }

    public Result promote(VersionSpec spec, String stage, String reason, boolean force) {
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
            return new Decision(EventTag.assign(version.model(), stage, n),
                    new EventPayload(EventPayload.SCHEMA, version.model(), "promote", v, stage, n,
                            state.stages().get(stage), reason.strip()), commit);
        });
    }

    public Result rollback(ModelName model, String stage, SemVer to, String reason) {
        requireReason(reason);
        config.requireStage(stage);
        return write(model, (events, n) -> {
            EventLog.State state = EventLog.replay(events);
            String current = state.stages().get(stage);
            if (current == null) {
                throw MverException.notFound("%s has nothing in %s to roll back", model, stage);
            }
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
            if (state.deprecated().contains(target)) {
                throw MverException.policy("%s@v%s is deprecated; roll back to another version with --to", model, target);
            }
            TagName tag = new TagName(model, SemVer.parse(target));
            return new Decision(EventTag.assign(model, stage, n), new EventPayload(EventPayload.SCHEMA, model,
                    "rollback", target, stage, n, current, reason.strip()), registry.commitOf(tag));
        });
    }

    public Result demote(ModelName model, String stage, String reason) {
        requireReason(reason);
        config.requireStage(stage);
        return write(model, (events, n) -> {
            String current = EventLog.replay(events).stages().get(stage);
            if (current == null) {
                throw MverException.notFound("%s has nothing in %s", model, stage);
            }
            TagName tag = new TagName(model, SemVer.parse(current));
            return new Decision(EventTag.unassign(model, stage, n), new EventPayload(EventPayload.SCHEMA, model,
                    "demote", current, stage, n, null, reason.strip()), registry.commitOf(tag));
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
            return new Decision(EventTag.deregister(version.model(), version.version()),
                    new EventPayload(EventPayload.SCHEMA, version.model(), "deprecate", version.version().toString(),
                            null, n, null, reason.strip()), commit);
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
    private void requireOrder(List<EventLog.Event> events, TagName version, String stage, boolean force) {
        List<String> order = config.promotionOrder();
        if (order == null || force) {
            return;
        }
        int i = order.indexOf(stage);
        if (i <= 0) {
            return;
        }
        String before = order.get(i - 1);
        boolean passed = events.stream().anyMatch(e -> e.isAssignment() && before.equals(e.stage())
                && version.version().toString().equals(e.version()));
        if (!passed) {
            throw MverException.policy("%s has not been in %s, which comes before %s (promote it there first, or "
                    + "pass --force)", version, before, stage);
        }
    }

    private Result write(ModelName model, Plan plan) {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            ObjectId counter = EventCounter.current(repo, model);
            List<EventLog.Event> events = log.events(model);
            long n = EventLog.nextNumber(events);
            Decision d = plan.decide(events, n);
            if (tryWrite(model, d, counter)) {
                EventPayload p = d.payload();
                return new Result(p.event(), d.tag().shortName(), model, p.version(), p.stage(), p.number(),
                        p.previous());
            }
            GitLocks.requireNoneStale(repo, d.tag().refName(), EventCounter.refName(model));
            if (d.tag().number() == null && tagExists(d.tag())) {
                throw MverException.conflict("tag '%s' already exists", d.tag());
            }
        }
        throw MverException.conflict("%s is changing too fast (another process keeps writing events); try again", model);
    }

    private boolean tagExists(EventTag tag) {
        try {
            return repo.exactRef(tag.refName()) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean tryWrite(ModelName model, Decision d, ObjectId counter) {
        PersonIdent tagger = identity.sign(repo).committer(); // git tag -a names the committer
        try (ObjectInserter inserter = repo.newObjectInserter(); RevWalk walk = new RevWalk(repo)) {
            TagBuilder tag = new TagBuilder();
            tag.setObjectId(d.commit(), Constants.OBJ_COMMIT);
            tag.setTag(d.tag().shortName());
            tag.setTagger(tagger);
            tag.setMessage(d.payload().toMessage());
            ObjectId tagId = inserter.insert(tag);
            inserter.flush();
            GitLocks.requireNoneStale(repo, d.tag().refName(), EventCounter.refName(model));
            BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate();
            batch.setAtomic(true);
            batch.setAllowNonFastForwards(true);
            batch.setRefLogIdent(tagger);
            batch.setRefLogMessage("mver " + d.payload().event() + " " + d.tag(), false);
            batch.addCommand(new ReceiveCommand(ObjectId.zeroId(), tagId, d.tag().refName()));
            batch.addCommand(EventCounter.move(model, counter, tagId));
            batch.execute(walk, NullProgressMonitor.INSTANCE);
            return batch.getCommands().stream().allMatch(c -> c.getResult() == ReceiveCommand.Result.OK);
        } catch (IOException e) {
            throw new MverException(ExitCode.INTERNAL, "cannot write tag " + d.tag() + ": " + e.getMessage(), e);
        }
    }
}
