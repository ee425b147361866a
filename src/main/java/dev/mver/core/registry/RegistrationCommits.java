package dev.mver.core.registry;

import dev.mver.core.git.RefNames;
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

    private final List<Registration> found;
    private final Runnable keep;

    private RegistrationCommits(List<Registration> found, Runnable keep) {
        this.found = found;
        this.keep = keep;
    }

    /** Every registration commit of {@code model} (of every model when null), oldest first per version. */
    public Map<TagName, List<Seen>> of(ModelName model) {
        Map<TagName, List<Seen>> out = new LinkedHashMap<>();
        for (Registration r : found) {
            if (model == null || r.tag().model().equals(model)) {
                out.computeIfAbsent(r.tag(), k -> new ArrayList<>()).add(r.seen());
            }
        }
        out.values().forEach(seen -> seen.sort(Comparator.comparing(Seen::at)));
        return out;
    }

    /** Keeps what this walk read of the branches' history for the next one; once the command has succeeded. */
    public void keep() {
        keep.run();
    }

    /**
     * The registration commits in the history of the branches and tags. Branches are
     * walked first; a tag adds its history only when no branch reaches it (a registration on a deleted branch),
     * so ten thousand tags on one branch cost one walk, not a queue of ten thousand starting points. What the
     * branches' history held when last walked is kept ({@link BranchHistory}): history never changes under a
     * commit id, so only commits new since then are read. {@code events} says where event tags lead (null: every tag
     * object is read).
     */
    public static RegistrationCommits read(Repository repo, EventLog events) {
        List<Registration> found = new ArrayList<>();
        Runnable keep = () -> {
        };
        try (RevWalk walk = new RevWalk(repo)) {
            RevFlag reached = walk.newFlag("reached");
            List<RevCommit> branches = new ArrayList<>();
            // One prefix at a time: JGit lists several prefixes as their common one, here every ref under refs/.
            for (String prefix : List.of(Constants.R_HEADS, Constants.R_REMOTES)) {
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix(prefix)) {
                    RevCommit c = commitOf(walk, repo, ref);
                    if (c != null) {
                        branches.add(c);
                    }
                }
            }
            BranchHistory known = BranchHistory.load(repo);
            List<RevCommit> walked = walkSince(walk, reached, branches, known);
            if (walked == null) {
                // A branch walked last time has gone (deleted, or moved back): its history may not be anyone's.
                known = known.forgotten();
                walk.reset();
                walked = walkSince(walk, reached, branches, known);
            }
            found.addAll(known.registrations());
            for (RevCommit c : walked) {
                Registration r = registration(c);
                if (r != null) {
                    found.add(r);
                }
            }
            BranchHistory walkedFrom = known;
            List<RevCommit> read = walked;
            List<Registration> onBranches = List.copyOf(found);
            keep = () -> walkedFrom.save(branches, read, onBranches);
            walk.resetRetain(reached);
            boolean more = false;
            // Tag names alone, each event tag's commit from its model's events: 20,000 ref files and tag objects
            // are not read again; other tags (and all of them for verify --all) are read.
            for (String name : events == null ? RefNames.list(repo, Constants.R_TAGS) : events.tagNames()) {
                ObjectId peeled = events == null ? null : events.commitOfTag(name);
                if (peeled != null && known.contains(peeled)) {
                    continue; // on a branch as last walked: its history is read already, and no object need be
                }
                Ref ref = peeled != null ? null : repo.exactRef(name);
                RevCommit c = peeled != null ? commitOrNull(walk, peeled) : ref == null ? null
                        : commitOf(walk, repo, ref);
                if (c != null && !c.has(reached) && !known.contains(c)) {
                    walk.markStart(c);
                    more = true;
                }
            }
            if (more) {
                for (RevCommit b : branches) {
                    walk.markUninteresting(b);
                }
                for (RevCommit c : walk) {
                    Registration r = registration(c);
                    if (r != null) {
                        found.add(r);
                    }
                }
            }
        } catch (MissingObjectException e) {
            // a shallow clone ends where its history does; the caller deepens first where it matters
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the history: " + e.getMessage(), e);
        }
        return new RegistrationCommits(found, keep);
    }

    /**
     * The commits of the branches' history that {@code known} does not hold, each flagged {@code reached}; null
     * when a tip {@code known} was taken from is neither a branch now nor the parent of a commit walked here (it may
     * be in no branch's history any more).
     */
    private static List<RevCommit> walkSince(RevWalk walk, RevFlag reached, List<RevCommit> branches,
                                             BranchHistory known) throws IOException {
        for (RevCommit b : branches) {
            walk.markStart(b);
        }
        java.util.Set<ObjectId> unconfirmed = new java.util.HashSet<>(known.tips());
        branches.forEach(unconfirmed::remove);
        for (ObjectId tip : known.tips()) {
            try {
                walk.markUninteresting(walk.parseCommit(tip));
            } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                return null; // gone since (a deleted branch, then gc)
            }
        }
        List<RevCommit> walked = new ArrayList<>();
        for (RevCommit c : walk) {
            c.add(reached);
            walked.add(c);
            for (RevCommit parent : c.getParents()) {
                unconfirmed.remove(parent);
            }
        }
        return unconfirmed.isEmpty() ? walked : null;
    }

    /** A registration commit: the version its subject names, and the commit. */
    record Registration(TagName tag, Seen seen) {
    }

    private static Registration registration(RevCommit c) {
        String subject = c.getShortMessage();
        if (!subject.startsWith(PREFIX)) {
            return null;
        }
        TagName tag = TagName.parseOrNull(subject.substring(PREFIX.length()).strip());
        return tag == null ? null : new Registration(tag, new Seen(c.abbreviate(10).name(),
                c.getCommitterIdent().getWhenAsInstant()));
    }

    /**
     * The commit {@code id} names, or null when it names something else (a stage tag on a tree, from another
     * tool): what an event tag leads to is known without reading it, not what kind of object it is.
     */
    private static RevCommit commitOrNull(RevWalk walk, ObjectId id) throws IOException {
        RevObject known = walk.lookupOrNull(id);
        if (known != null) {
            return known instanceof RevCommit c ? c : null;
        }
        RevObject o = walk.parseAny(id);
        return o instanceof RevCommit c ? c : null;
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
}
