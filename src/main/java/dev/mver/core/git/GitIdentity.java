package dev.mver.core.git;

import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.util.SystemReader;

/**
 * Who writes mver's commits and tags, and when, decided as git decides it, so that a registration commit names
 * whom {@code git commit} would name and a tag the tagger {@code git tag -a} would (git's tagger is the committer).
 * Names and emails come from {@code GIT_AUTHOR_*} / {@code GIT_COMMITTER_*} in {@code env}, then the repository's
 * effective config ({@code author.*} / {@code committer.*}, then {@code user.*}, then {@code EMAIL} for the email);
 * times from {@code GIT_AUTHOR_DATE} / {@code GIT_COMMITTER_DATE}, else {@code clock}. The environment is injected
 * rather than read from the process, so that tests and embedders decide it; a date that is not one git reads is
 * refused here, before anything is written.
 */
public record GitIdentity(Map<String, String> env, Clock clock) {
    /** The two people on a commit; a tag, and a reflog entry, carry the committer. */
    public record Signatures(PersonIdent author, PersonIdent committer) {
    }

    private enum Role {
        AUTHOR, COMMITTER;

        String variable(String what) {
            return "GIT_" + name() + "_" + what;
        }

        String section() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The variables that decide an identity; the rest of the environment is not kept (nor printed). */
    private static final List<String> VARIABLES = List.of("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_AUTHOR_DATE",
            "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "GIT_COMMITTER_DATE", "EMAIL");

    public GitIdentity {
        Objects.requireNonNull(clock, "clock");
        Map<String, String> kept = new HashMap<>();
        for (String variable : VARIABLES) {
            String value = env.get(variable);
            if (value != null) {
                kept.put(variable, value);
            }
        }
        env = Map.copyOf(kept);
        for (Role role : Role.values()) {
            date(env, role, clock); // refuse a bad date now, not after the artifacts were hashed
        }
    }

    /** Author and committer for a write to {@code repo}, at one moment of the clock unless the environment sets it. */
    public Signatures sign(Repository repo) {
        Config config = repo.getConfig();
        Instant now = clock.instant();
        return new Signatures(ident(config, Role.AUTHOR, now), ident(config, Role.COMMITTER, now));
    }

    private PersonIdent ident(Config config, Role role, Instant now) {
        String name = first(env.get(role.variable("NAME")), config.getString(role.section(), null, "name"),
                config.getString("user", null, "name"));
        String email = first(env.get(role.variable("EMAIL")), config.getString(role.section(), null, "email"),
                config.getString("user", null, "email"), env.get("EMAIL"));
        // What JGit (and git, less politely) falls back on when nothing names the user.
        String user = first(SystemReader.getInstance().getProperty("user.name"), "unknown");
        if (name == null) {
            name = user;
        }
        if (name.isBlank()) {
            throw MverException.usage("the %s name is empty (%s or user.name); git refuses an empty name too",
                    role.section(), role.variable("NAME"));
        }
        if (email == null) {
            email = user + "@" + SystemReader.getInstance().getHostname();
        }
        ZonedDateTime when = date(env, role, clock);
        return when == null ? new PersonIdent(name, email, now, clock.getZone())
                : new PersonIdent(name, email, when.toInstant(), when.getZone());
    }

    /** The role's date from the environment, or null when it is unset (git also ignores an empty one). */
    private static ZonedDateTime date(Map<String, String> env, Role role, Clock clock) {
        String variable = role.variable("DATE");
        String value = env.get(variable);
        if (value == null || value.isEmpty()) {
            return null;
        }
        return GitDate.parse(value, clock.getZone()).orElseThrow(() -> MverException.usage(
                "%s is not a date git reads: '%s' (use '@<seconds> +hhmm', ISO 8601 or RFC 2822)", variable,
                Text.printable(value, 60)));
    }

    private static String first(String... candidates) {
        for (String c : candidates) {
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}
