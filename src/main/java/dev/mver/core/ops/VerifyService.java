package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.RefNames;
import dev.mver.core.git.ShallowClone;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.RegistrationCommits;
import dev.mver.core.registry.TagVerifier;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.TagName;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * Checks the registry the way every read sees it: each registration's payload against its commit (metadata hash,
 * artifact list, the link to the previous version's tag object), each event's payload against the version it
 * names, event numbers for duplicates and gaps, and history for versions registered twice or whose tag is gone.
 * A version tag without a payload is another tool's (GTO) below the model's first mver version, and its commit's
 * record and pointers must then read; above it, it replaced mver's registration: tampering. Lightweight and
 * malformed tags in our grammar are problems too. A shallow clone is deepened first (or refused as incomplete), so
 * a missing history is never mistaken for tampering. Each tag's own checks are {@link TagVerifier}'s.
 */
public final class VerifyService {
    private final Repository repo;
    private final Consumer<String> notice;

    public VerifyService(Repository repo, Consumer<String> notice) {
        this.repo = repo;
        this.notice = notice;
    }

    @JsonPropertyOrder({"tag", "problem"})
    public record Problem(String tag, String problem) {
    }

    /**
     * {@code unrecoverable}: the versions with an object that has a good copy nowhere this clone can see (its cache,
     * the remote being checked); null when that could not be looked at (the remote did not answer).
     */
    @JsonPropertyOrder({"ok", "tags", "verified", "foreign", "problems", "unrecoverable", "warnings"})
    public record Report(boolean ok, int tags, int verified, int foreign, List<Problem> problems,
                         List<String> unrecoverable, List<String> warnings) {
        Report withUnrecoverable(List<String> versions) {
            return new Report(ok && (versions == null || versions.isEmpty()), tags, verified, foreign, problems,
                    versions, warnings);
        }
    }

    /**
     * The registry, and which versions nothing this clone can see rebuilds ({@code remote}: the default one, or
     * null); {@code fromScratch} re-reads every tag the event cache marks as verified before.
     */
    public Report verify(ArtifactCache cache, RemoteStore remote, boolean fromScratch) {
        Checked checked = check(fromScratch);
        return checked.report().withUnrecoverable(RegistryObjects.unrecoverable(checked.artifacts(), cache, remote,
                notice));
    }

    /** The report on the registry's tags, and the artifacts of each version that read soundly. */
    record Checked(Report report, Map<TagName, List<ArtifactRef>> artifacts) {
    }

    /**
     * The registry's tags alone. Tags are listed once; each one's check (its payload, commit and record, read and
     * parsed) is independent of the others', so they run on every core, and the outcomes are taken in tag order.
     */
    Checked check(boolean fromScratch) {
        ShallowClone.deepen(repo, notice);
        Map<String, Ref> refs = new LinkedHashMap<>();
        RefNames.refs(repo, Constants.R_TAGS).forEach(r -> refs.put(r.getName(), r));
        TagVerifier verifier = new TagVerifier(repo, fromScratch);
        List<Ref> ours = refs.values().stream().filter(r -> looksLikeOurs(shortName(r))).toList();
        List<TagVerifier.Outcome> outcomes = ours.parallelStream().map(r -> verifier.check(r, refs)).toList();
        verifier.save();
        Map<TagName, List<ArtifactRef>> artifacts = new TreeMap<>(TAG_ORDER);

        List<Problem> problems = new ArrayList<>();
        int verified = 0;
        int foreign = 0;
        Map<ModelName, Map<Long, String>> numbers = new HashMap<>();
        Set<ModelName> foreignNumbers = new HashSet<>();
        for (TagVerifier.Outcome o : outcomes) {
            if (o.artifacts() != null && o.tag().kind() == EventTag.Kind.REGISTER) {
                artifacts.put(new TagName(o.tag().model(), o.tag().version()), o.artifacts());
            }
            if (o.problem() != null) {
                problems.add(new Problem(o.name(), o.problem()));
            } else if (o.number() == null) {
                foreign++;
                if (o.tag().number() != null) {
                    foreignNumbers.add(o.tag().model());
                }
            } else {
                String other = numbers.computeIfAbsent(o.tag().model(), k -> new HashMap<>())
                        .putIfAbsent(o.number(), o.name());
                if (other != null) {
                    // Two clones numbered events alike and both were pushed (by an mver older than the push check,
                    // or by plain git push): the order between the two is lost, and only the team can restore it.
                    problems.add(new Problem(o.name(), "event number " + o.number() + " is also used by " + other
                            + ": two clones wrote events at once and both were pushed; keep the one that happened "
                            + "first, delete the other everywhere (git push origin :refs/tags/TAG, git tag -d TAG in "
                            + "each clone) and write that event again (mver promote, rollback, demote or deprecate), "
                            + "which numbers it after the rest"));
                } else {
                    verified++;
                }
            }
        }
        numbers.forEach((model, used) -> {
            if (!foreignNumbers.contains(model)) {
                gaps(model, used, problems);
            }
        });
        EventLog log = new EventLog(repo);
        history(refs, fromScratch ? null : log, problems);
        // Dates inform, numbers order: an event dated before an earlier one is flagged, not failed.
        List<String> warnings = new ArrayList<>();
        log.all().forEach((model, events) -> EventLog.outOfOrder(events).forEach(tag -> warnings.add(tag
                + " is dated before an earlier event of " + model + " (its writer's clock was behind)")));
        log.saveCache();
        return new Checked(new Report(problems.isEmpty(), outcomes.size(), verified, foreign, problems, null,
                warnings), artifacts);
    }

    private static final Comparator<TagName> TAG_ORDER = Comparator.comparing(TagName::model)
            .thenComparing(TagName::version);

    private static String shortName(Ref ref) {
        return ref.getName().substring(Constants.R_TAGS.length());
    }

    /**
     * mver numbers a model's events 1, 2, 3...; a number missing below the highest is an event whose tag was
     * deleted (another tool's numbers, which follow their own rules, turn this check off for the model).
     */
    private static void gaps(ModelName model, Map<Long, String> used, List<Problem> problems) {
        long max = used.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Long> missing = new ArrayList<>();
        for (long n = 1; n <= max; n++) {
            if (!used.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            problems.add(new Problem(model.value(), "event number" + (missing.size() == 1 ? " " : "s ") + missing
                    + " of " + model + " " + (missing.size() == 1 ? "is" : "are") + " missing: a tag was deleted "
                    + "(restore it from a clone that has it: git fetch origin --tags)"));
        }
    }

    /**
     * What history says was registered: a version registered twice, or one whose tag is gone. {@code events}: where
     * event tags lead, as read before (null for {@code verify --all}, which reads every tag object).
     */
    private void history(Map<String, Ref> refs, EventLog events, List<Problem> problems) {
        RegistrationCommits history = RegistrationCommits.read(repo, events);
        history.of(null).forEach((tag, seen) -> {
            if (seen.size() > 1) {
                problems.add(new Problem(tag.shortName(), "registered " + seen.size() + " times (commits "
                        + seen.stream().map(RegistrationCommits.Seen::commit).collect(Collectors.joining(", "))
                        + "): a released version's content changed; register the later content as a new version"));
            } else if (!refs.containsKey(tag.refName())) {
                problems.add(new Problem(tag.shortName(), "was registered (commit " + seen.get(0).commit()
                        + ") but its tag is gone; restore it from a clone that has it (git fetch origin tag "
                        + tag + ")"));
            }
        });
        history.keep();
    }

    private static boolean looksLikeOurs(String name) {
        int at = name.indexOf('@');
        int hash = name.indexOf('#');
        int sep = at > 0 ? at : hash;
        // GTO's NAME@created(#N) marks an artifact's creation: no registry state, nothing to check.
        return sep > 0 && ModelName.isValid(name.substring(0, sep))
                && !name.substring(sep).matches("@created(#[0-9]+)?");
    }
}
