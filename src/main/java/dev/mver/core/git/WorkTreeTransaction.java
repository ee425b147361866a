package dev.mver.core.git;

import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.CrashPoints;
import dev.mver.core.io.SafeTree;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * mver's changes to a work tree and git's index, made as one step. It starts by taking mver's work-tree lock (a
 * second mver command waits its turn, so no read-modify-write of an ignore file is lost) and git's own index lock
 * (a git command holding the index, such as a commit waiting in its editor, stops mver with exit 5 before anything
 * is written: otherwise that commit would be made from an index without mver's change and undo it). Files are
 * replaced atomically; the index gets each edit over its own content, so the user's unstaged edits stay unstaged.
 */
public final class WorkTreeTransaction implements AutoCloseable {
    private final Repository repo;
    private final SafeTree tree;
    private final WorkTreeLock lock;
    private final DirCache index;

    private WorkTreeTransaction(Repository repo, SafeTree tree, WorkTreeLock lock, DirCache index) {
        this.repo = repo;
        this.tree = tree;
        this.lock = lock;
        this.index = index;
    }

    /** Takes both locks; exit 5 when git's index is locked by someone else. */
    public static WorkTreeTransaction begin(Repository repo, SafeTree tree) {
        WorkTreeLock lock = WorkTreeLock.acquire(GitDirs.ownWorkTree(repo).resolve("worktree.lock"));
        try {
            return new WorkTreeTransaction(repo, tree, lock, repo.lockDirCache());
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e instanceof MverException me ? me : GitLocks.indexFailure(e);
        }
    }

    /**
     * Writes {@code edits} into the work tree and the index, taking {@code untrack} (and everything under each)
     * out of the index. Returns the work-tree paths whose content changed. With {@code rollBack}, a failure puts
     * the work-tree files back as they were, so a failed command leaves nothing behind; without it (the refs of a
     * registration have already moved) the files stay and the error says how to bring the index in line.
     */
    public Set<RepoPath> apply(FileEdits edits, Collection<RepoPath> untrack, String crashStep, boolean rollBack) {
        Map<RepoPath, byte[]> previous = new LinkedHashMap<>();
        Set<RepoPath> changed = new LinkedHashSet<>();
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader()) {
            Map<RepoPath, byte[]> inWorkTree = new LinkedHashMap<>();
            Map<RepoPath, byte[]> inIndex = new LinkedHashMap<>();
            for (Map.Entry<RepoPath, FileEdits.Edit> e : edits.all().entrySet()) {
                RepoPath path = e.getKey();
                byte[] current = read(tree.resolve(path));
                inWorkTree.put(path, e.getValue().over(current));
                DirCacheEntry entry = index.getEntry(path.value());
                inIndex.put(path, e.getValue().over(entry == null ? null
                        : reader.open(entry.getObjectId(), Constants.OBJ_BLOB).getBytes(Json.MAX_DOCUMENT_BYTES)));
                if (!Arrays.equals(current, inWorkTree.get(path))) {
                    previous.put(path, current);
                }
            }
            for (RepoPath path : previous.keySet()) {
                AtomicFiles.write(tree.prepareWrite(path), inWorkTree.get(path));
                changed.add(path);
            }
            CrashPoints.reached(crashStep);
            DirCacheEditor editor = index.editor();
            for (RepoPath r : untrack) {
                editor.add(new DirCacheEditor.DeletePath(r.value()));
                editor.add(new DirCacheEditor.DeleteTree(r.value()));
            }
            for (Map.Entry<RepoPath, byte[]> e : inIndex.entrySet()) {
                ObjectId blob = inserter.insert(Constants.OBJ_BLOB, e.getValue());
                // Stat data only where the index now holds exactly the work-tree file; elsewhere git must look.
                Path file = tree.resolve(e.getKey());
                boolean same = Arrays.equals(e.getValue(), inWorkTree.get(e.getKey()));
                long length = same ? Files.size(file) : 0;
                java.time.Instant modified = same ? Files.getLastModifiedTime(file).toInstant() : java.time.Instant.EPOCH;
                editor.add(new DirCacheEditor.PathEdit(e.getKey().value()) {
                    @Override
                    public void apply(DirCacheEntry ent) {
                        ent.setFileMode(FileMode.REGULAR_FILE);
                        ent.setObjectId(blob);
                        ent.setLength(length);
                        ent.setLastModified(modified);
                    }
                });
            }
            inserter.flush();
            editor.finish();
            index.write();
            if (!index.commit()) {
                throw new IOException("cannot replace " + repo.getIndexFile());
            }
            return changed;
        } catch (IOException | RuntimeException e) {
            if (rollBack) {
                restore(previous);
            }
            if (e instanceof MverException me) {
                throw me;
            }
            if (!rollBack) {
                throw new MverException(ExitCode.LOCAL_IO, "git's index could not be updated ("
                        + e.getMessage() + "); run 'git reset -q' before the next commit, or it would undo this", e);
            }
            throw e instanceof IOException io ? new UncheckedIOException("cannot update the work tree: "
                    + io.getMessage(), io) : (RuntimeException) e;
        }
    }

    /** The content of {@code path} in the index as this transaction found it; null when it has no entry. */
    public byte[] indexed(RepoPath path) {
        DirCacheEntry entry = index.getEntry(path.value());
        if (entry == null) {
            return null;
        }
        try (ObjectReader reader = repo.newObjectReader()) {
            return reader.open(entry.getObjectId(), Constants.OBJ_BLOB).getBytes(Json.MAX_DOCUMENT_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " from the index: " + e.getMessage(), e);
        }
    }

    private void restore(Map<RepoPath, byte[]> previous) {
        previous.forEach((path, bytes) -> {
            try {
                Path file = tree.resolve(path);
                if (bytes == null) {
                    Files.deleteIfExists(file);
                } else {
                    AtomicFiles.write(file, bytes);
                }
            } catch (IOException | RuntimeException e) {
                // best effort: the error being thrown says what failed
            }
        });
    }

    private static byte[] read(Path file) throws IOException {
        return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(file) : null;
    }

    /** Releases git's index lock (unchanged unless {@link #apply} succeeded) and then mver's. */
    @Override
    public void close() {
        try {
            index.unlock();
        } finally {
            lock.close();
        }
    }
}
