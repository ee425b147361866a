package dev.mver.core.git;

import dev.mver.core.io.CrashPoints;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.TagName;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;

/**
 * Writes a registration: one commit holding exactly the given files on top of HEAD (other staged changes are left
 * alone), an annotated tag on it, and both refs moved in one atomic compare-and-swap. If another process moved
 * the branch or created the tag first, nothing becomes visible and the caller gets exit 5.
 */
public final class Registrar {
    private final Repository repo;

    public Registrar(Repository repo) {
        this.repo = repo;
    }

    public record Written(ObjectId commit, ObjectId tagObject) {
    }

    /** The branch HEAD points at; registering on a detached HEAD would leave the commit on no branch. */
    public String currentBranch() {
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

    /**
     * Commits {@code files} (content from memory, not the work tree) on top of the branch, with {@code removed}
     * paths and everything under them taken out of the tree, tags the commit, and moves branch, tag and event
     * counter in one atomic batch. Nothing in the work tree or the index is touched here.
     */
    public Written commitAndTag(TagName tag, FileEdits files, Collection<RepoPath> removed,
                                GitIdentity.Signatures who, String commitMessage, String tagMessage,
                                ObjectId expectedCounter) {
        String branch = currentBranch();
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            Ref branchRef = repo.exactRef(branch);
            ObjectId parent = branchRef == null ? null : branchRef.getObjectId();
            RevCommit parentCommit = parent == null ? null : walk.parseCommit(parent);

            // Each edit over the parent's file: the commit holds mver's change and none of the user's unsaved ones.
            Map<String, ObjectId> blobs = new TreeMap<>();
            for (Map.Entry<RepoPath, FileEdits.Edit> f : files.all().entrySet()) {
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
            for (RepoPath r : removed) {
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
            ObjectId treeId = tree.writeTree(inserter);

            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(treeId);
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(who.author());
            commit.setCommitter(who.committer());
            commit.setMessage(commitMessage);
            ObjectId commitId = inserter.insert(commit);

            TagBuilder tagObject = new TagBuilder();
            tagObject.setObjectId(commitId, Constants.OBJ_COMMIT);
            tagObject.setTag(tag.shortName());
            tagObject.setTagger(who.committer()); // git tag -a names the committer
            tagObject.setMessage(tagMessage);
            ObjectId tagId = inserter.insert(tagObject);
            inserter.flush();
            CrashPoints.reached("register: objects written, refs not moved");

            GitLocks.requireNoneStale(repo, branch, EventCounter.refName(tag.model()), tag.refName());
            BatchRefUpdate batch = repo.getRefDatabase().newBatchUpdate();
            batch.setAtomic(true);
            // The event counter moves between unrelated tag objects; every command still checks its old id.
            batch.setAllowNonFastForwards(true);
            batch.setRefLogIdent(who.committer());
            batch.setRefLogMessage("mver register " + tag, false);
            batch.addCommand(new ReceiveCommand(parent == null ? ObjectId.zeroId() : parent, commitId, branch));
            batch.addCommand(new ReceiveCommand(ObjectId.zeroId(), tagId, tag.refName()));
            batch.addCommand(EventCounter.move(tag.model(), expectedCounter, tagId));
            batch.execute(walk, org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE);
            ReceiveCommand failed = EventCounter.firstFailure(batch);
            if (failed != null) {
                throw refused(tag, branch, failed);
            }
            CrashPoints.reached("register: refs moved, work tree not written");
            return new Written(commitId, tagId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write registration " + tag + ": " + e.getMessage(), e);
        }
    }

    private MverException refused(TagName tag, String branch, ReceiveCommand cmd) {
        GitLocks.requireNoneStale(repo, branch, EventCounter.refName(tag.model()), tag.refName());
        if (cmd.getRefName().equals(tag.refName())) {
            return new RegistrationRaced(String.format("tag '%s' already exists", tag));
        }
        if (cmd.getRefName().equals(EventCounter.refName(tag.model()))) {
            return new RegistrationRaced(String.format(
                    "another change to %s happened while registering %s; run the command again", tag.model(), tag));
        }
        if (cmd.getResult() == ReceiveCommand.Result.REJECTED_NOCREATE
                || cmd.getResult() == ReceiveCommand.Result.LOCK_FAILURE
                || cmd.getResult() == ReceiveCommand.Result.REJECTED_OTHER_REASON) {
            return new RegistrationRaced(Repository.shortenRefName(branch)
                    + " changed while registering " + tag + " (another commit or registration); run the command again");
        }
        return new MverException(ExitCode.CONFLICT, "cannot update " + cmd.getRefName() + ": " + cmd.getResult());
    }

    private static byte[] blob(ObjectReader reader, RevCommit commit, RepoPath path) throws IOException {
        try (org.eclipse.jgit.treewalk.TreeWalk tw = org.eclipse.jgit.treewalk.TreeWalk.forPath(reader, path.value(),
                commit.getTree())) {
            return tw == null || !tw.getFileMode(0).equals(FileMode.REGULAR_FILE) && !tw.getFileMode(0).equals(
                    FileMode.EXECUTABLE_FILE) ? null
                    : reader.open(tw.getObjectId(0), Constants.OBJ_BLOB).getBytes(Json.MAX_DOCUMENT_BYTES);
        }
    }
}
