package dev.mver.core.git;

import dev.mver.core.value.ModelName;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * A local ref per model ({@code refs/mver/events/NAME}) that every event write moves with compare-and-swap, in
 * the same atomic batch as the event's tag. Two processes that picked the same event number cannot both succeed:
 * the loser sees the ref moved and tries again with the next number. The ref only serialises writers; event
 * numbers themselves live in the tags, so a clone orders history identically without it.
 */
public final class EventCounter {
    private EventCounter() {
    }

    public static String refName(ModelName model) {
        // '/' would make "a" and "a/b" clash as file and folder in the ref store.
        return "refs/mver/events/" + model.value().replace("%", "%25").replace("/", "%2F");
    }

    public static ObjectId current(Repository repo, ModelName model) {
        try {
            Ref ref = repo.exactRef(refName(model));
            return ref == null ? ObjectId.zeroId() : ref.getObjectId();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + refName(model) + ": " + e.getMessage(), e);
        }
    }

    public static ReceiveCommand move(ModelName model, ObjectId expected, ObjectId eventTag) {
        return new ReceiveCommand(expected, eventTag, refName(model),
                expected.equals(ObjectId.zeroId()) ? ReceiveCommand.Type.CREATE
                        : ReceiveCommand.Type.UPDATE_NONFASTFORWARD);
    }

    /**
     * The command that made an atomic batch fail. The others are only "transaction aborted" in its wake, so the
     * cause is the first failure that is not an abort; null when every command succeeded.
     */
    public static ReceiveCommand firstFailure(org.eclipse.jgit.lib.BatchRefUpdate batch) {
        ReceiveCommand aborted = null;
        for (ReceiveCommand c : batch.getCommands()) {
            if (c.getResult() == ReceiveCommand.Result.OK) {
                continue;
            }
            boolean isAbort = c.getResult() == ReceiveCommand.Result.REJECTED_OTHER_REASON
                    && org.eclipse.jgit.internal.JGitText.get().transactionAborted.equals(c.getMessage());
            if (!isAbort) {
                return c;
            }
            aborted = aborted == null ? c : aborted;
        }
        return aborted;
    }
}
