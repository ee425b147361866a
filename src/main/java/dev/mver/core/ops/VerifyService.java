package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Checks every registry tag against what it claims: a registration's payload against its commit (metadata hash,
 * artifact list, the link to the previous version's tag object), an event's payload against the version it names,
 * and event numbers for duplicates. Lightweight and malformed tags in our grammar are reported too; tags made by
 * other tools (no payload) are counted as foreign, not as problems.
 */
public final class VerifyService {
    private final Repository repo;
    private final GitRegistry registry;

    public VerifyService(Repository repo) {
        this.repo = repo;
        this.registry = new GitRegistry(repo);
    }

    @JsonPropertyOrder({"tag", "problem"})
    public record Problem(String tag, String problem) {
    }

    @JsonPropertyOrder({"ok", "tags", "verified", "foreign", "problems"})
    public record Report(boolean ok, int tags, int verified, int foreign, List<Problem> problems) {
    }

    public Report verify() {
        List<Problem> problems = new ArrayList<>();
        int tags = 0;
        int verified = 0;
        int foreign = 0;
        Map<ModelName, Map<Long, String>> numbers = new HashMap<>();
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
        return new Report(problems.isEmpty(), tags, verified, foreign, problems);
    }

    private static boolean looksLikeOurs(String name) {
        int at = name.indexOf('@');
        int hash = name.indexOf('#');
        int sep = at > 0 ? at : hash;
        return sep > 0 && ModelName.isValid(name.substring(0, sep));
    }

    /** Returns the registration's event number, or null for a foreign registration without a payload. */
    private Long checkRegistration(EventTag t) {
        TagName tag = new TagName(t.model(), t.version());
        Registration reg;
        try {
            reg = registry.read(tag);
        } catch (MverException e) {
            if (e.getMessage().contains("carries no mver payload")) {
                return null;
            }
            throw e;
        }
        registry.metadata(reg);
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
