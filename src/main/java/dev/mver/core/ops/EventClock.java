package dev.mver.core.ops;

import dev.mver.core.git.GitIdentity;
import dev.mver.core.registry.EventLog;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * Events are ordered by number, never by clock; but people read their dates, and `stages --at` and `audit --since`
 * stop at the first event dated after the time asked for. An event about to be dated before the model's latest one
 * (this machine's clock is behind) is worth a warning, and beyond the configured skew a refusal: a month-old date on
 * a live promotion misleads every reader.
 */
public final class EventClock {
    private EventClock() {
    }

    /** A warning when the clock is behind the model's latest event; exit 3 beyond {@code maxSkew} unless forced. */
    public static Optional<String> check(Repository repo, EventLog log, GitIdentity identity, ModelName model,
                                         Duration maxSkew, boolean force) {
        Instant now = identity.sign(repo).committer().getWhenAsInstant();
        Instant latest = null;
        for (EventLog.Event e : log.events(model)) {
            if (e.time() != null && (latest == null || e.time().isAfter(latest))) {
                latest = e.time();
            }
        }
        if (latest == null || !now.isBefore(latest)) {
            return Optional.empty();
        }
        Duration behind = Duration.between(now, latest);
        String what = "this event would be dated " + now + ", " + human(behind) + " before " + model
                + "'s latest event (" + latest + "): this machine's clock (or GIT_COMMITTER_DATE) is behind, or the "
                + "one that wrote that event was ahead";
        if (behind.compareTo(maxSkew) > 0 && !force) {
            throw MverException.policy("%s; fix the clock, or pass --force to write it anyway (events keep their "
                    + "order by number; dates only inform)", what);
        }
        return Optional.of(what);
    }

    private static String human(Duration d) {
        long s = d.getSeconds();
        return s >= 172_800 ? s / 86_400 + " days" : s >= 7_200 ? s / 3_600 + " hours" : s >= 120 ? s / 60 + " minutes"
                : s + " seconds";
    }
}
