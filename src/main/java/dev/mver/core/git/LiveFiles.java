package dev.mver.core.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.ReflogEntry;
import org.eclipse.jgit.lib.ReflogReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.OrTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathSuffixFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.eclipse.jgit.util.FS;

/**
 * Every version of some files that anything git keeps alive still names: the files as they are in every commit
 * reachable from any ref (branches, remote-tracking branches, tags, {@code refs/stash} and its older entries), from
 * the HEAD of every work tree (a detached HEAD names no branch), and as they are staged in every work tree's index
 * or sit in its work tree. This is git's own notion of what must not be lost, so a cache pruned by it never drops
 * bytes another branch, a stash or a linked work tree still needs.
 *
 * <p>History is read as diffs: each commit against its parents, with subtrees whose ids did not change skipped,
 * so the cost follows how much the wanted files changed, not how large the trees are.
 */
public final class LiveFiles {
    /** The content of one wanted file, by blob id, with one path it was seen at (for messages). */
    public record Blob(ObjectId id, String path) {
    }

    private LiveFiles() {
    }

    /**
     * The versions of every file whose path ends with {@code suffix} or lies in {@code folder}, each once: from
     * history, from every index and from every work tree ({@code maxBytes} bounds what is read).
     */
    public static Result scan(Repository repo, String suffix, String folder, int maxBytes) {
        TreeFilter wanted = OrTreeFilter.create(PathSuffixFilter.create(suffix), PathFilter.create(folder));
        java.util.function.Predicate<String> accepts = p -> p.endsWith(suffix) || p.startsWith(folder + "/");
        Map<ObjectId, String> blobs = new LinkedHashMap<>();
        List<Map.Entry<String, byte[]>> workTreeFiles = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            for (ObjectId root : roots(repo)) {
                RevObject o = walk.parseAny(root);
                while (o instanceof RevTag tag) {
                    o = walk.parseAny(tag.getObject());
                }
                if (o instanceof RevCommit c) {
                    walk.markStart(c);
                }
            }
            TreeFilter changed = AndTreeFilter.create(TreeFilter.ANY_DIFF, wanted);
            for (RevCommit c = walk.next(); c != null; c = walk.next()) {
                try (TreeWalk tw = new TreeWalk(reader)) {
                    tw.setRecursive(true);
                    tw.addTree(c.getTree());
                    for (RevCommit parent : c.getParents()) {
                        tw.addTree(walk.parseCommit(parent).getTree());
                    }
                    // A root commit (or a shallow clone's boundary) has nothing to differ from: all of it counts.
                    tw.setFilter(c.getParentCount() == 0 ? wanted : changed);
                    while (tw.next()) {
                        if (isFile(tw.getFileMode(0))) {
                            blobs.putIfAbsent(tw.getObjectId(0), tw.getPathString());
                        }
                    }
                }
            }
            for (Path gitDir : workTreeGitDirs(repo)) {
                Path index = gitDir.resolve("index");
                if (!Files.isRegularFile(index)) {
                    continue;
                }
                DirCache cache = DirCache.read(index.toFile(), FS.DETECTED);
                Path workTree = workTreeOf(repo, gitDir);
                for (int i = 0; i < cache.getEntryCount(); i++) {
                    DirCacheEntry e = cache.getEntry(i);
                    if (!isFile(e.getFileMode()) || !accepts.test(e.getPathString())) {
                        continue;
                    }
                    blobs.putIfAbsent(e.getObjectId(), e.getPathString());
                    if (workTree != null) {
                        byte[] bytes = readSmall(workTree.resolve(e.getPathString()), maxBytes);
                        if (bytes != null) {
                            workTreeFiles.add(Map.entry(e.getPathString(), bytes));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the repository's history: " + e.getMessage(), e);
        }
        return new Result(repo, blobs, workTreeFiles, maxBytes);
    }

    /** What {@link #scan} found: blobs to read, and work-tree copies already read. */
    public static final class Result {
        private final Repository repo;
        private final Map<ObjectId, String> blobs;
        private final List<Map.Entry<String, byte[]>> workTreeFiles;
        private final int maxBytes;

        Result(Repository repo, Map<ObjectId, String> blobs, List<Map.Entry<String, byte[]>> workTreeFiles,
               int maxBytes) {
            this.repo = repo;
            this.blobs = blobs;
            this.workTreeFiles = workTreeFiles;
            this.maxBytes = maxBytes;
        }

        public int blobCount() {
            return blobs.size();
        }

        /** Calls {@code each} with the path and content of every distinct version found; larger ones are skipped. */
        public void forEach(java.util.function.BiConsumer<String, byte[]> each) {
            try (ObjectReader reader = repo.newObjectReader()) {
                for (Map.Entry<ObjectId, String> b : blobs.entrySet()) {
                    var loader = reader.open(b.getKey(), Constants.OBJ_BLOB);
                    if (loader.getSize() <= maxBytes) {
                        each.accept(b.getValue(), loader.getBytes());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the repository's history: " + e.getMessage(), e);
            }
            workTreeFiles.forEach(f -> each.accept(f.getKey(), f.getValue()));
        }
    }

    private static boolean isFile(FileMode mode) {
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
    }

    /** Everything git keeps commits alive with: every ref, every stash entry, every work tree's HEAD. */
    private static List<ObjectId> roots(Repository repo) throws IOException {
        List<ObjectId> roots = new ArrayList<>();
        for (Ref ref : repo.getRefDatabase().getRefs()) {
            if (ref.getObjectId() != null) {
                roots.add(ref.getObjectId());
            }
        }
        ReflogReader stash = repo.getRefDatabase().getReflogReader(Constants.R_STASH);
        if (stash != null) {
            for (ReflogEntry e : stash.getReverseEntries()) {
                if (!e.getNewId().equals(ObjectId.zeroId())) {
                    roots.add(e.getNewId());
                }
            }
        }
        for (Path gitDir : workTreeGitDirs(repo)) {
            ObjectId head = detachedHead(gitDir.resolve(Constants.HEAD));
            if (head != null) {
                roots.add(head);
            }
        }
        return roots;
    }

    /** The main work tree's git folder and each linked work tree's ({@code worktrees/NAME}). */
    private static List<Path> workTreeGitDirs(Repository repo) throws IOException {
        Path common = repo.getCommonDirectory().toPath();
        List<Path> dirs = new ArrayList<>(List.of(common));
        Path linked = common.resolve("worktrees");
        if (Files.isDirectory(linked, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(linked)) {
                for (Path d : entries) {
                    if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                        dirs.add(d);
                    }
                }
            }
        }
        return dirs;
    }

    /** The work tree a git folder belongs to; null where it cannot be told (a bare or unusual layout). */
    private static Path workTreeOf(Repository repo, Path gitDir) throws IOException {
        Path common = repo.getCommonDirectory().toPath();
        if (gitDir.equals(common)) {
            if (gitDir.equals(repo.getDirectory().toPath())) {
                return repo.isBare() ? null : repo.getWorkTree().toPath();
            }
            return common.getFileName().toString().equals(Constants.DOT_GIT) ? common.getParent() : null;
        }
        // A linked work tree's git folder names the .git file in its work tree.
        Path pointer = gitDir.resolve("gitdir");
        if (!Files.isRegularFile(pointer)) {
            return null;
        }
        return Path.of(Files.readString(pointer, StandardCharsets.UTF_8).strip()).getParent();
    }

    /** The commit a HEAD file names directly (a detached HEAD); null for a symbolic one, which a ref covers. */
    private static ObjectId detachedHead(Path head) throws IOException {
        if (!Files.isRegularFile(head)) {
            return null;
        }
        return RefNames.looseId(head);
    }

    private static byte[] readSmall(Path file, int maxBytes) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > maxBytes) {
            return null;
        }
        return Files.readAllBytes(file);
    }
}
