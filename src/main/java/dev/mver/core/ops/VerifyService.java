package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.ShallowClone;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.registry.RegistrationCommits;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks the registry the way every read sees it: each registration's payload against its commit (metadata hash,
 * artifact list, the link to the previous version's tag object), each event's payload against the version it
 * names, event numbers for duplicates and gaps, and history for versions registered twice or whose tag is gone.
 * A version tag without a payload is another tool's (GTO) below the model's first mver version, and its commit's
 * record and pointers must then read; above it, it replaced mver's registration: tampering. Lightweight and
 * malformed tags in our grammar are problems too. A shallow clone is deepened first (or refused as incomplete), so
 * a missing history is never mistaken for tampering.
 */
public final class VerifyService {
    private final Repository repo;
    private final GitRegistry registry;
    private final Consumer<String> notice;

    public VerifyService(Repository repo, Consumer<String> notice) {
        this.repo = repo;
        this.registry = new GitRegistry(repo);
        this.notice = notice;
    }

    @JsonPropertyOrder({"tag", "problem"})
    public record Problem(String tag, String problem) {
    }

    /**
     * {@code unrecoverable}: the versions with an object that has a good copy nowhere this clone can see (its cache,
     * the remote being checked); null when that could not be looked at (the remote did not answer).
     */
    @JsonPropertyOrder({"ok", "tags", "verified", "foreign", "problems", "unrecoverable"})
    public record Report(boolean ok, int tags, int verified, int foreign, List<Problem> problems,
                         List<String> unrecoverable) {
        Report withUnrecoverable(List<String> versions) {
            return new Report(ok && (versions == null || versions.isEmpty()), tags, verified, foreign, problems,
                    versions);
        }
    }

    /** The registry, and which versions nothing this clone can see rebuilds ({@code remote}: the default one, or null). */
    public Report verify(ArtifactCache cache, RemoteStore remote) {
        return verifyTags().withUnrecoverable(RegistryObjects.unrecoverable(repo, cache, remote, notice));
    }

    /** The registry's tags alone. */
    Report verifyTags() {
        ShallowClone.deepen(repo, notice);
        List<Problem> problems = new ArrayList<>();
        int tags = 0;
        int verified = 0;
        int foreign = 0;
        Map<ModelName, Map<Long, String>> numbers = new HashMap<>();
        Set<ModelName> foreignNumbers = new HashSet<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                String name = ref.getName().substring(Constants.R_TAGS.length());
                EventTag t = EventTag.parseOrNull(name);
                if (t == null) {
                    if (looksLikeOurs(name)) {
                        tags++;
                        problems.add(new Problem(name, "malformed registry tag name"));
                    }
                    continue;
                }
                tags++;
                RevObject obj = walk.parseAny(ref.getObjectId());
                if (!(obj instanceof RevTag tag)) {
                    problems.add(new Problem(name, "lightweight tag: registry tags must be annotated"));
                    continue;
                }
                try {
                    Long number = t.kind() == EventTag.Kind.REGISTER ? checkRegistration(t)
                            : checkEvent(t, tag, walk);
                    if (number == null) {
                        foreign++;
                        if (t.number() != null) {
                            foreignNumbers.add(t.model());
                        }
                        continue;
                    }
                    String other = numbers.computeIfAbsent(t.model(), k -> new HashMap<>()).putIfAbsent(number, name);
                    if (other != null) {
                        problems.add(new Problem(name, "event number " + number + " is also used by " + other));
                        continue;
                    }
                    verified++;
                } catch (MverException e) {
                    problems.add(new Problem(name, e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tags: " + e.getMessage(), e);
        }
        numbers.forEach((model, used) -> {
            if (!foreignNumbers.contains(model)) {
                gaps(model, used, problems);
            }
        });
        history(problems);
        return new Report(problems.isEmpty(), tags, verified, foreign, problems, null);
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

    /** What history says was registered: a version registered twice, or one whose tag is gone. */
    private void history(List<Problem> problems) {
        RegistrationCommits.of(repo, null).forEach((tag, seen) -> {
            if (seen.size() > 1) {
                problems.add(new Problem(tag.shortName(), "registered " + seen.size() + " times (commits "
                        + seen.stream().map(RegistrationCommits.Seen::commit).collect(Collectors.joining(", "))
                        + "): a released version's content changed; register the later content as a new version"));
            } else if (exactRef(tag.refName()) == null) {
                problems.add(new Problem(tag.shortName(), "was registered (commit " + seen.get(0).commit()
                        + ") but its tag is gone; restore it from a clone that has it (git fetch origin tag "
                        + tag + ")"));
            }
        });
    }

    private static boolean looksLikeOurs(String name) {
        int at = name.indexOf('@');
        int hash = name.indexOf('#');
        int sep = at > 0 ? at : hash;
        return sep > 0 && ModelName.isValid(name.substring(0, sep));
    }

    /**
     * Returns the registration's event number, or null for another tool's registration, whose commit's record and
     * pointers, if it has any for the model, must still read.
     */
    private Long checkRegistration(EventTag t) {
        TagName tag = new TagName(t.model(), t.version());
        Registration reg = registry.readAny(tag);
        registry.metadata(reg);
        if (reg.payload() == null) {
            return null;
        }
        TagPayload.Previous prev = reg.payload().previous();
        if (prev != null) {
            TagName prevTag = new TagName(t.model(), SemVer.parse(prev.version()));
            Ref prevRef = exactRef(prevTag.refName());
            if (prevRef == null) {
                throw MverException.integrity("previous version %s is missing", prevTag);
            }
            if (!prevRef.getObjectId().name().equals(prev.tagObject())) {
                throw MverException.integrity("previous version %s was re-tagged (its tag object is not the one linked)",
                        prevTag);
            }
            if (SemVer.parse(prev.version()).compareTo(t.version()) >= 0) {
                throw MverException.integrity("previous version %s is not older", prevTag);
            }
        }
        return reg.payload().seq();
    }

    private Long checkEvent(EventTag t, RevTag tag, RevWalk walk) throws IOException {
        EventPayload p = EventPayload.fromMessageOrNull(t.shortName(), tag.getFullMessage());
        if (p == null) {
            return null;
        }
        if (!p.model().equals(t.model())) {
            throw MverException.integrity("payload names model %s", p.model());
        }
        if (t.number() != null && t.number() != p.number()) {
            throw MverException.integrity("payload says event %d, the tag name %d", p.number(), t.number());
        }
        if (t.stage() != null && !t.stage().equals(p.stage())) {
            throw MverException.integrity("payload names stage %s", p.stage());
        }
        TagName version = new TagName(t.model(), SemVer.parse(p.version()));
        ObjectId expected = registry.commitOf(version);
        if (!walk.peel(tag).getId().equals(expected)) {
            throw MverException.integrity("points at a different commit than %s", version);
        }
        return p.number();
    }

    private Ref exactRef(String name) {
        try {
            return repo.exactRef(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
