package dev.mver.core.registry;

import dev.mver.core.value.ModelName;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
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

    /** Every registration commit of {@code model} (of every model when null), oldest first per version. */
    public static Map<TagName, List<Seen>> of(Repository repo, ModelName model) {
        Map<TagName, List<Seen>> out = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(repo)) {
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_REMOTES,
                    Constants.R_TAGS)) {
                RevObject o = walk.parseAny(ref.getObjectId());
                while (o instanceof RevTag t) {
                    o = walk.parseAny(t.getObject());
                }
                if (o instanceof RevCommit c) {
                    walk.markStart(c);
                }
            }
            walk.sort(org.eclipse.jgit.revwalk.RevSort.REVERSE);
            for (RevCommit c : walk) {
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
        } catch (org.eclipse.jgit.errors.MissingObjectException e) {
            return out; // a shallow clone ends where its history does; the caller deepens first where it matters
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history: " + e.getMessage(), e);
        }
        return out;
    }
}
