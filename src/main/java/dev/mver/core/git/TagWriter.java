package dev.mver.core.git;

import dev.mver.core.io.CrashPoints;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The one writer of registry tags. Every event (a registration, a stage move, a deprecation) is an annotated tag,
 * created in one atomic ref batch with a compare-and-swap of the model's event counter
 * ({@code refs/mver/events/NAME}) and, for a registration, with the commit it tags moved onto the current branch.
 * Two writers that picked the same event number, version or parent cannot both succeed: the loser's batch fails
 * whole, and its plan is computed again from the registry as it now is, after a short random wait, so a computed
 * version or event number moves on while a conflict the user asked for (an explicit version) is reported at once.
 */
public final class TagWriter {
    /** How many times a plan that lost a race is computed again before giving up. */
    static final int ATTEMPTS = 25;

    private final Repository repo;
    private final GitIdentity identity;

    public TagWriter(Repository repo, GitIdentity identity) {
        this.repo = repo;
        this.identity = identity;
    }

    /** A commit of {@code files} on top of the current branch, with {@code removed} paths taken out of its tree. */
    public record Commit(FileEdits files, Collection<RepoPath> removed, String message) {
    }

    /**
     * One event to write: the tag {@code tag} (short name) on {@code target}, or on a new {@code commit} when that
     * is given, with {@code message}; {@code plan} is whatever the caller wants back from the attempt that won.
     */
    public record Write<T>(String tag, ObjectId target, Commit commit, String message, T plan) {
        public Write {
            if ((target == null) == (commit == null)) {
                throw new IllegalStateException("a tag goes on an existing commit or on a new one, not both");
            }
        }
    }

    public record Written<T>(ObjectId commit, ObjectId tagObject, T plan) {
    }

    /**
     * Writes the event {@code plan} computes for {@code model}, computing it again (after a random wait) when
     * another writer won, up to {@value #ATTEMPTS} times when {@code retry}, else once. {@code plan} reads the
     * registry afresh each time and throws when the event is not allowed any more.
     */
    public <T> Written<T> write(ModelName model, boolean retry, Supplier<Write<T>> plan) {
        String previousTag = null;
        for (int attempt = 1; ; attempt++) {
            ObjectId counter = counter(model);
            Write<T> w = plan.get();
            if (!Repository.isValidRefName(Constants.R_TAGS + w.tag())) {
                throw MverException.usage("'%s' cannot be a git tag name", w.tag());
            }
            Outcome<T> outcome = tryWrite(model, counter, w);
            if (outcome.written() != null) {
                return outcome.written();
            }
            // The same tag again means it exists for a reason the registry does not show (a lightweight or
            // foreign tag): recomputing will not help.
            boolean again = retry && attempt < ATTEMPTS && !(outcome.tagExists() && w.tag().equals(previousTag));
            if (!again) {
                throw outcome.failure();
            }
            previousTag = w.tag();
            backOff(attempt);
        }
    }

    /** The branch HEAD points at; a registration on a detached HEAD would leave its commit on no branch. */
    public static String currentBranch(Repository repo) {
        try {
            Ref head = repo.exactRef(Constants.HEAD);
            if (head == null || !head.isSymbolic()) {
                throw MverException.usage("HEAD is detached; check out a branch before registering");
            }
            return head.getTarget().getName();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read HEAD: " + e.getMessage(), e);
        }
    }

    /** The ref that every event of {@code model} moves, so two writers of one model serialise (push leases it). */
    public static String counterRef(ModelName model) {
        // '/' would make "a" and "a/b" clash as file and folder in the ref store.
        return "refs/mver/events/" + model.value().replace("%", "%25").replace("/", "%2F");
    }

    private ObjectId counter(ModelName model) {
        Ref ref = exactRef(counterRef(model));
        return ref == null ? ObjectId.zeroId() : ref.getObjectId();
    }

    private record Outcome<T>(Written<T> written, boolean tagExists, MverException failure) {
    }

    private <T> Outcome<T> tryWrite(ModelName model, ObjectId counter, Write<T> w) {
        String tagRef = Constants.R_TAGS + w.tag();
        String counterRef = counterRef(model);
        GitIdentity.Signatures who = identity.sign(repo);
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            String branch = null;
            ObjectId parent = null;
            ObjectId target = w.target();
            if (w.commit() != null) {
                branch = currentBranch(repo);
                Ref branchRef = repo.exactRef(branch);
                parent = branchRef == null ? null : branchRef.getObjectId();
                target = commit(inserter, reader, walk, parent, w.commit(), who);
            }
            TagBuilder tag = new TagBuilder();
            tag.setObjectId(target, Constants.OBJ_COMMIT);
            tag.setTag(w.tag());
            tag.setTagger(who.committer()); // git tag -a names the committer
            tag.setMessage(w.message());
            ObjectId tagId = inserter.insert(tag);
            inserter.flush();
            String step = w.commit() != null ? "register" : "event";
            CrashPoints.reached(step + ": objects written, refs not moved");

            GitLocks.requireNoneStale(repo, refsOf(branch, counterRef, tagRef));
            List<RefTransaction.Update> updates = new ArrayList<>();
            if (branch != null) {
                updates.add(new RefTransaction.Update(branch, parent == null ? ObjectId.zeroId() : parent, target));
            }
            updates.add(new RefTransaction.Update(tagRef, ObjectId.zeroId(), tagId));
            updates.add(new RefTransaction.Update(counterRef, counter, tagId));
            String why = move(updates, walk, who);
            if (why == null) {
                CrashPoints.reached(step + ": refs moved, work tree not written");
                return new Outcome<>(new Written<>(target, tagId, w.plan()), false, null);
            }
            return failed(model, w.tag(), branch, parent, counter, why);
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot write tag " + w.tag() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why a batch failed, read from the refs themselves (an atomic batch reports every command but the one at
     * fault as aborted, in words that belong to JGit): a stale lock, the tag taken, or another event or commit
     * first. Each is a conflict (exit 5).
     */
    private <T> Outcome<T> failed(ModelName model, String tag, String branch, ObjectId parent, ObjectId counter,
                                  String why) {
        GitLocks.requireNoneStale(repo, refsOf(branch, counterRef(model), Constants.R_TAGS + tag));
        if (exactRef(Constants.R_TAGS + tag) != null) {
            return new Outcome<>(null, true, MverException.conflict("tag '%s' already exists", tag));
        }
        if (!counter(model).equals(counter)) {
            return new Outcome<>(null, false, MverException.conflict(
                    "another change to %s happened while writing %s; run the command again", model, tag));
        }
        if (branch != null) {
            Ref now = exactRef(branch);
            ObjectId head = now == null ? null : now.getObjectId();
            if (head == null ? parent != null : !head.equals(parent)) {
                return new Outcome<>(null, false, MverException.conflict("%s changed while writing %s (another "
                        + "commit or registration); run the command again", Repository.shortenRefName(branch), tag));
            }
        }
        return new Outcome<>(null, false, MverException.conflict("cannot write %s: %s", tag, why));
    }

    /**
     * Moves the refs all together: through a {@link RefTransaction} where refs are files (its cost does not grow
     * with the number of tags), else JGit's atomic batch. Null when they moved, else why not.
     */
    private String move(List<RefTransaction.Update> updates, RevWalk walk, GitIdentity.Signatures who)
            throws IOException {
        String message = "mver " + updates.stream().filter(u -> u.name().startsWith(Constants.R_TAGS))
                .map(u -> Repository.shortenRefName(u.name())).findFirst().orElse("");
        RefTransaction transaction = RefTransaction.of(repo);
        if (transaction != null) {
            RefTransaction.Result result = transaction.commit(updates, who.committer(), message);
            return switch (result) {
                case OK -> null;
                case LOCKED -> "another git command is moving the same refs; run the command again";
                case CHANGED -> "a ref changed while it was written; run the command again";
                case NAME_CONFLICT -> "a ref in the way has a name that clashes with it (one names the other's "
                        + "folder)";
            };
        }
        BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate();
        batch.setAtomic(true);
        // The counter moves between unrelated tag objects; every command still checks its old id.
        batch.setAllowNonFastForwards(true);
        batch.setRefLogIdent(who.committer());
        batch.setRefLogMessage(message, false);
        for (RefTransaction.Update u : updates) {
            batch.addCommand(new ReceiveCommand(u.oldId(), u.newId(), u.name(), u.oldId().equals(ObjectId.zeroId())
                    ? ReceiveCommand.Type.CREATE : ReceiveCommand.Type.UPDATE_NONFASTFORWARD));
        }
        batch.execute(walk, NullProgressMonitor.INSTANCE);
        return batch.getCommands().stream().allMatch(c -> c.getResult() == ReceiveCommand.Result.OK) ? null
                : batch.getCommands().stream().map(c -> c.getRefName() + " " + c.getResult()).toList().toString();
    }

    private static String[] refsOf(String branch, String counterRef, String tagRef) {
        return branch == null ? new String[] {counterRef, tagRef} : new String[] {branch, counterRef, tagRef};
    }

    /**
     * The commit of {@code c} on {@code parent}: each edit applied over the parent's file (the commit holds mver's
     * change and none of the user's unsaved ones), removed paths and everything under them out of the tree.
     */
    private ObjectId commit(ObjectInserter inserter, ObjectReader reader, RevWalk walk, ObjectId parent, Commit c,
                            GitIdentity.Signatures who) throws IOException {
        RevCommit parentCommit = parent == null ? null : walk.parseCommit(parent);
        Map<String, ObjectId> blobs = new TreeMap<>();
        for (Map.Entry<RepoPath, FileEdits.Edit> f : c.files().all().entrySet()) {
            byte[] before = parentCommit == null ? null : blob(reader, parentCommit, f.getKey());
            blobs.put(f.getKey().value(), inserter.insert(Constants.OBJ_BLOB, f.getValue().over(before)));
        }
        DirCache tree = DirCache.newInCore();
        DirCacheBuilder builder = tree.builder();
        if (parentCommit != null) {
            builder.addTree(new byte[0], DirCacheEntry.STAGE_0, reader, parentCommit.getTree());
        }
        builder.finish();
        DirCacheEditor editor = tree.editor();
        // Artifacts committed before mver was adopted must not ride along in the registration.
        for (RepoPath r : c.removed()) {
            editor.add(new DirCacheEditor.DeletePath(r.value()));
            editor.add(new DirCacheEditor.DeleteTree(r.value()));
        }
        blobs.forEach((path, id) -> editor.add(new DirCacheEditor.PathEdit(path) {
            @Override
            public void apply(DirCacheEntry ent) {
                ent.setFileMode(FileMode.REGULAR_FILE);
                ent.setObjectId(id);
            }
        }));
        editor.finish();
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree.writeTree(inserter));
        if (parent != null) {
            commit.setParentId(parent);
        }
        commit.setAuthor(who.author());
        commit.setCommitter(who.committer());
        commit.setMessage(c.message());
        return inserter.insert(commit);
    }

    private static byte[] blob(ObjectReader reader, RevCommit commit, RepoPath path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(reader, path.value(), commit.getTree())) {
            if (tw == null) {
                return null;
            }
            FileMode mode = tw.getFileMode(0);
            return mode.equals(FileMode.REGULAR_FILE) || mode.equals(FileMode.EXECUTABLE_FILE)
                    ? reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes(dev.mver.core.value.Json.MAX_DOCUMENT_BYTES)
                    : null;
        }
    }

    private Ref exactRef(String name) {
        try {
            return repo.exactRef(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static void backOff(int attempt) {
        try {
            // Jitter spreads the losers out so they do not collide again in lockstep.
            Thread.sleep(ThreadLocalRandom.current().nextLong(5, 40L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted while writing an event");
        }
    }
}
