package dev.mver.core.registry;

import dev.mver.core.value.ModelName;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevFlag;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The registration commits in the history of every branch, remote-tracking branch and tag ({@code mver: register
 * NAME@vX.Y.Z}), by version: what was registered even when a tag no longer says so. A deleted tag leaves its
 * registration in history, so a version number is never handed out twice and {@code verify} can tell.
 */
public final class RegistrationCommits {
    private static final String PREFIX = "mver: register ";

    /** One registration commit: its id and when it was committed. */
    public record Seen(String commit, java.time.Instant at) {
    }

    private RegistrationCommits() {
    }

    /**
     * Every registration commit of {@code model} (of every model when null), oldest first per version. Branches are
     * walked first; a tag adds its history only when no branch reaches it (a registration on a deleted branch),
     * so ten thousand tags on one branch cost one walk, not a queue of ten thousand starting points.
     */
    public static Map<TagName, List<Seen>> of(Repository repo, ModelName model) {
        Map<TagName, List<Seen>> out = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            RevFlag reached = walk.newFlag("reached");
            List<RevCommit> branches = new ArrayList<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_REMOTES)) {
                RevCommit c = commitOf(walk, repo, ref);
                if (c != null) {
                    branches.add(c);
                    walk.markStart(c);
                }
            }
            collect(walk, reached, model, out);
            walk.resetRetain(reached);
            boolean more = false;
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
                RevCommit c = commitOf(walk, repo, ref);
                if (c != null && !c.has(reached)) {
                    walk.markStart(c);
                    more = true;
                }
            }
            if (more) {
                for (RevCommit b : branches) {
                    walk.markUninteresting(b);
                }
                collect(walk, reached, model, out);
            }
        } catch (MissingObjectException e) {
            // a shallow clone ends where its history does; the caller deepens first where it matters
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history: " + e.getMessage(), e);
        }
        out.values().forEach(seen -> seen.sort(Comparator.comparing(Seen::at)));
        return out;
    }

    /** The commit {@code ref} ends at (through any tags), or null for a ref to something else. */
    private static RevCommit commitOf(RevWalk walk, Repository repo, Ref ref) throws IOException {
        Ref peeled = repo.getRefDatabase().peel(ref);
        ObjectId id = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
        RevObject o = walk.parseAny(id);
        while (o instanceof RevTag t) {
            o = walk.parseAny(t.getObject());
        }
        return o instanceof RevCommit c ? c : null;
    }

    private static void collect(RevWalk walk, RevFlag reached, ModelName model, Map<TagName, List<Seen>> out)
            throws IOException {
        for (RevCommit c : walk) {
            c.add(reached);
            String subject = c.getShortMessage();
            if (!subject.startsWith(PREFIX)) {
                continue;
            }
            TagName tag = TagName.parseOrNull(subject.substring(PREFIX.length()).strip());
            if (tag != null && (model == null || tag.model().equals(model))) {
                out.computeIfAbsent(tag, k -> new ArrayList<>()).add(new Seen(c.abbreviate(10).name(),
                        c.getCommitterIdent().getWhenAsInstant()));
            }
        }
    }
}
