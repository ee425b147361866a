package dev.mver.core.workspace;

import dev.mver.core.git.FileEdits;
import dev.mver.core.git.WorkTreeTransaction;
import dev.mver.core.io.FileModes;
import dev.mver.core.store.HashingCopy;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.PointerFile;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.store.StatCache;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;

/**
 * Puts work-tree artifacts under mver's control: bytes into the cache (hashed while copied, skipped when the stat
 * cache proves them unchanged), a pointer beside each artifact, the artifact git-ignored and the pointer staged.
 */
public final class ArtifactService {
    private final Workspace ws;
    private final ProgressListener progress;
    private final StatCache stat;

    public ArtifactService(Workspace ws, ProgressListener progress) {
        this.ws = ws;
        this.progress = progress;
        this.stat = StatCache.load(ws.statCacheFile());
    }

    /** What {@code add} did for one artifact. */
    public record Added(ArtifactRef artifact, boolean pointerChanged) {
    }

    /** {@code mver add}: every path is checked before anything is written. */
    public List<Added> add(List<String> userPaths) {
        if (userPaths.isEmpty()) {
            throw MverException.usage("nothing to add: give one or more artifact paths");
        }
        Set<RepoPath> paths = new LinkedHashSet<>();
        for (String p : userPaths) {
            paths.add(artifactPath(ws.repoPath(p)));
        }
        for (RepoPath p : paths) {
            requireArtifact(p);
        }
        requireNotNested(paths);
        List<Added> added = new ArrayList<>();
        try {
            for (RepoPath p : paths) {
                ArtifactRef ref = snapshot(p, recordedByPointer(p));
                added.add(new Added(ref, track(List.of(ref)).contains(PointerFile.pointerPathOf(p))));
            }
        } finally {
            stat.save();
        }
        return added;
    }

    /**
     * Artifacts cannot nest: a pointer and .gitignore written inside a directory artifact would become part of its
     * bytes. Checked against each other and against every tracked artifact.
     */
    public void requireNotNested(java.util.Collection<RepoPath> paths) {
        Set<RepoPath> all = new LinkedHashSet<>(trackedArtifacts());
        all.addAll(paths);
        for (RepoPath p : paths) {
            for (RepoPath q : all) {
                if (!p.equals(q) && (p.value().startsWith(q.value() + "/") || q.value().startsWith(p.value() + "/"))) {
                    RepoPath inner = p.value().length() > q.value().length() ? p : q;
                    RepoPath outer = inner == p ? q : p;
                    throw MverException.usage("artifacts cannot nest: %s is inside %s", inner, outer);
                }
            }
        }
    }

    /** A pointer path given where an artifact was meant ({@code model.pkl.mver}) names the artifact. */
    public static RepoPath artifactPath(RepoPath p) {
        return PointerFile.isPointerPath(p.value()) ? PointerFile.artifactPathOf(p) : p;
    }

    /** Fails unless {@code p} is a regular file or directory in the work tree (not a symlink). */
    public Path requireArtifact(RepoPath p) {
        Path file = ws.tree().resolve(p);
        if (Files.isSymbolicLink(file)) {
            throw MverException.usage("'%s' is a symbolic link; add the file it points to instead", p);
        }
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.notFound("no such file or directory: %s", p);
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.usage("'%s' is neither a file nor a directory", p);
        }
        return file;
    }

    /**
     * Stores the artifact's current bytes in the cache and returns its reference; writes nothing in the tree.
     * {@code recorded} (may be null) is how the artifact was last recorded, see {@link #currentState}.
     */
    public ArtifactRef snapshot(RepoPath p, ArtifactRef recorded) {
        Path file = requireArtifact(p);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            Manifest manifest = directoryManifest(p, file, true);
            if (recordedWithoutModes(manifest, recorded)) {
                return new ArtifactRef(p, ArtifactType.DIR, recorded.sha256(), manifest.totalSize());
            }
            Sha256 sha = ws.cache().ingestBytes(manifest.toBytes());
            return new ArtifactRef(p, ArtifactType.DIR, sha, manifest.totalSize());
        }
        HashingCopy.Result r = fileHash(p, file, true);
        return new ArtifactRef(p, ArtifactType.FILE, r.sha256(), r.size());
    }

    /**
     * The artifact's current hash without storing anything; null when the artifact is missing. {@code recorded}
     * (may be null) is how it was last recorded (its pointer, its registration): a folder recorded before mver
     * kept empty folders and execute bits, whose files are the same, is still that record, so a folder registered
     * by an older mver does not look changed after an upgrade.
     */
    public ArtifactRef currentState(RepoPath p, ArtifactRef recorded) {
        Path file = ws.tree().resolve(p);
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            Manifest manifest = directoryManifest(p, file, false);
            Sha256 sha = recordedWithoutModes(manifest, recorded) ? recorded.sha256() : Sha256.hash(manifest.toBytes());
            return new ArtifactRef(p, ArtifactType.DIR, sha, manifest.totalSize());
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        HashingCopy.Result r = fileHash(p, file, false);
        return new ArtifactRef(p, ArtifactType.FILE, r.sha256(), r.size());
    }

    /** Whether {@code recorded} is a manifest without modes or empty folders that lists exactly {@code now}'s files. */
    private boolean recordedWithoutModes(Manifest now, ArtifactRef recorded) {
        if (recorded == null || recorded.type() != ArtifactType.DIR || (now.dirs().isEmpty()
                && now.files().stream().noneMatch(Manifest.Entry::executable))
                || !ws.cache().contains(recorded.sha256())) {
            return false;
        }
        try {
            Manifest old = ws.cache().readManifest(recorded.sha256(), recorded.path().value());
            return old.dirs().isEmpty() && old.files().stream().noneMatch(Manifest.Entry::executable)
                    && old.equals(Manifest.of(now.files().stream()
                    .map(e -> new Manifest.Entry(e.path(), e.sha256(), e.size())).toList()));
        } catch (MverException e) {
            return false; // a corrupt record matches nothing; the reads that need it report it
        }
    }

    public void saveStatCache() {
        stat.save();
    }

    /** Files of a folder artifact are stored this many at a time: concurrent fsyncs share journal commits. */
    private static final int FOLDER_JOBS = 8;

    /** The manifest of a folder as it is now: every file (hashed, stored when {@code store}) and empty folder. */
    private Manifest directoryManifest(RepoPath dirPath, Path dir, boolean store) {
        List<RepoPath> files = new ArrayList<>();
        List<RepoPath> emptyDirs = new ArrayList<>();
        java.util.Set<RepoPath> executable = new java.util.HashSet<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) walk.sorted()::iterator) {
                if (f.equals(dir)) {
                    continue;
                }
                RepoPath rel = RepoPath.relative(dir, f);
                if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> children = Files.list(f)) {
                        if (children.findAny().isEmpty()) {
                            emptyDirs.add(rel);
                        }
                    }
                    continue;
                }
                if (Files.isSymbolicLink(f) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    throw MverException.usage("'%s/%s' is not a regular file (links and devices cannot be artifacts)",
                            dirPath, rel);
                }
                files.add(rel);
                if (FileModes.isExecutable(f)) {
                    executable.add(rel);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read directory " + dirPath + ": " + e.getMessage(), e);
        } catch (MverException e) {
            throw MverException.usage("cannot add %s: %s", dirPath, e.getMessage());
        }
        List<Manifest.Entry> entries = new ArrayList<>();
        for (Manifest.Entry e : hashFiles(dirPath, dir, files, store)) {
            entries.add(new Manifest.Entry(e.path(), e.sha256(), e.size(), executable.contains(e.path())));
        }
        try {
            return Manifest.of(entries, emptyDirs);
        } catch (MverException e) {
            throw MverException.usage("cannot add %s: %s", dirPath, e.getMessage());
        }
    }

    private List<Manifest.Entry> hashFiles(RepoPath dirPath, Path dir, List<RepoPath> files, boolean store) {
        if (!store || files.size() < 2 * FOLDER_JOBS) {
            List<Manifest.Entry> entries = new ArrayList<>();
            for (RepoPath rel : files) {
                HashingCopy.Result r = fileHash(dirPath.resolve(rel), dir.resolve(rel.value()), store);
                entries.add(new Manifest.Entry(rel, r.sha256(), r.size()));
            }
            return entries;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(FOLDER_JOBS, r -> {
            Thread t = new Thread(r, "mver-store");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Manifest.Entry>> futures = new ArrayList<>();
            for (RepoPath rel : files) {
                futures.add(pool.submit(() -> {
                    HashingCopy.Result r = fileHash(dirPath.resolve(rel), dir.resolve(rel.value()), true);
                    return new Manifest.Entry(rel, r.sha256(), r.size());
                }));
            }
            List<Manifest.Entry> entries = new ArrayList<>();
            for (java.util.concurrent.Future<Manifest.Entry> f : futures) {
                entries.add(f.get());
            }
            return entries;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new UncheckedIOException(new IOException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted while adding " + dirPath);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Hashes one file, trusting the stat cache when the file is unchanged (and, when storing, its object is in
     * the cache); otherwise reads it exactly once, copying into the cache while hashing when {@code store}.
     */
    private HashingCopy.Result fileHash(RepoPath p, Path file, boolean store) {
        try {
            StatCache.Fingerprint before = StatCache.Fingerprint.of(file);
            if (store && LfsPointer.is(file, before.size())) {
                throw MverException.usage("'%s' is a git-lfs pointer, not the model's bytes (a clone made without "
                        + "git-lfs, or with GIT_LFS_SKIP_SMUDGE=1); run 'git lfs pull' first", p);
            }
            // Storing needs only the object: right after an add it is there even if the file is too fresh for
            // the racy rule, and copying it again would double the I/O of a large model.
            Sha256 known = store ? stat.lookupStored(p.value(), before) : stat.lookup(p.value(), before);
            if (known != null && (!store || ws.cache().contains(known))) {
                return new HashingCopy.Result(known, before.size());
            }
            long start = StatCache.nowNanos();
            progress.start(p.value(), before.size());
            boolean link = store && ws.config().linksArtifacts();
            HashingCopy.Result r;
            try {
                r = store && !link ? ws.cache().ingest(file, progress) : HashingCopy.hash(file, progress);
            } finally {
                progress.finish();
            }
            if (!StatCache.Fingerprint.of(file).equals(before) || r.size() != before.size()) {
                stat.forget(p.value());
                throw MverException.conflict("'%s' changed while it was being read; try again when it is complete", p);
            }
            if (link && !ws.cache().linkIn(file, r.sha256())) {
                // Another file system: copy after all (a second read, only in this fallback).
                r = ws.cache().ingest(file, ProgressListener.NONE);
            }
            if (link) {
                stat.recordRelinked(p.value(), before, StatCache.Fingerprint.of(file), start, r.sha256());
            } else if (store) {
                stat.recordStored(p.value(), before, start, r.sha256());
            } else {
                stat.record(p.value(), before, start, r.sha256());
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    /**
     * The edits that put {@code refs} under mver's control: a pointer beside each artifact, an entry in the
     * .gitignore of its folder, and the attributes that keep pointers byte-exact. Nothing is written here;
     * {@link #track} and registration write them.
     */
    public FileEdits trackingFiles(List<ArtifactRef> refs) {
        FileEdits edits = new FileEdits();
        for (ArtifactRef ref : refs) {
            edits.whole(PointerFile.pointerPathOf(ref.path()),
                    new PointerFile(ref.type(), ref.sha256(), ref.size()).toBytes());
        }
        for (ArtifactRef ref : refs) {
            edits.ensureLines(GitFileLines.pathFor(ref.path()),
                    List.of(GitFileLines.entryFor(ref.path(), ref.type() == ArtifactType.DIR)));
        }
        if (!refs.isEmpty()) {
            edits.ensureLines(GitFileLines.ATTRIBUTES, GitFileLines.ATTRIBUTE_LINES);
        }
        return edits;
    }

    /**
     * {@code mver add}'s second half: writes pointers and ignore entries for {@code refs}, drops the artifacts from
     * the index if they were tracked, and stages the pointers, as one step under the work tree's and git's index
     * locks. Returns the paths whose content changed in the work tree.
     */
    public Set<RepoPath> track(List<ArtifactRef> refs) {
        return track(refs, new FileEdits());
    }

    /** {@link #track(List)}, with {@code also} (a version's record) written and staged in the same step. */
    public Set<RepoPath> track(List<ArtifactRef> refs, FileEdits also) {
        try (WorkTreeTransaction tx = WorkTreeTransaction.begin(ws.repository(), ws.tree())) {
            return tx.apply(trackingFiles(refs).addAll(also), refs.stream().map(ArtifactRef::path).toList(),
                    "add: pointers written, index not updated", true);
        }
    }

    /** Artifacts whose pointers are in the index, sorted by path; pointers that are not valid paths are skipped. */
    public List<RepoPath> trackedArtifacts() {
        try {
            DirCache index = ws.repository().readDirCache();
            List<RepoPath> out = new ArrayList<>();
            for (int i = 0; i < index.getEntryCount(); i++) {
                String path = index.getEntry(i).getPathString();
                if (PointerFile.isPointerPath(path) && index.getEntry(i).getStage() == DirCacheEntry.STAGE_0) {
                    try {
                        RepoPath artifact = PointerFile.artifactPathOf(RepoPath.of(path));
                        if (!artifact.inMverFolder()) {
                            out.add(artifact);
                        }
                    } catch (MverException e) {
                        // not a path mver could have written; status reports nothing for it
                    }
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the git index: " + e.getMessage(), e);
        }
    }

    /** The hash of a work-tree file when the stat cache vouches for it, else null (nothing is read). */
    public Sha256 knownHash(RepoPath p) {
        Path file = ws.tree().resolve(p);
        try {
            return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? stat.lookup(p.value(), StatCache.Fingerprint.of(file)) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The artifact as its work-tree pointer records it; null when it has none or an unreadable one. */
    public ArtifactRef recordedByPointer(RepoPath artifact) {
        try {
            PointerFile p = readPointer(artifact);
            return p == null ? null : new ArtifactRef(artifact, p.type(), p.sha256(), p.size());
        } catch (MverException e) {
            return null;
        }
    }

    /** Reads the pointer for {@code artifact} from the work tree; null when it has none. */
    public PointerFile readPointer(RepoPath artifact) {
        RepoPath pointerPath = PointerFile.pointerPathOf(artifact);
        Path file = ws.tree().resolve(pointerPath);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        try {
            if (Files.size(file) > PointerFile.MAX_BYTES) {
                throw MverException.integrity("pointer %s is larger than %d bytes", pointerPath, PointerFile.MAX_BYTES);
            }
            return PointerFile.parse(Files.readAllBytes(file));
        } catch (MverException e) {
            throw MverException.integrity("pointer %s is malformed: %s", pointerPath, e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointerPath + ": " + e.getMessage(), e);
        }
    }
}
