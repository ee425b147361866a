package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.FileEdits;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.FileTrees;
import dev.mver.core.io.FileModes;
import dev.mver.core.io.SafeTree;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.HashingCopy;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.PointerFile;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.Text;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Rebuilds a release from its tag alone: the metadata as committed (checked against the tag's hash) and every
 * artifact from the cache, each file's hash verified while it is written. Into a fresh folder ({@code --to}) or
 * back into the work tree, where a file is only replaced when its current bytes are safe in the cache.
 */
public final class CheckoutService {
    private final Workspace ws;
    private final ArtifactService artifacts;
    private final ProgressListener progress;
    private final Consumer<List<ArtifactRef>> fetchMissing;
    private final Consumer<String> notice;

    /**
     * {@code fetchMissing} brings objects missing from the cache (from the default remote), or does nothing; it
     * also replaces an object found corrupt, which {@code notice} then reports.
     */
    public CheckoutService(Workspace ws, ArtifactService artifacts, ProgressListener progress,
                           Consumer<List<ArtifactRef>> fetchMissing, Consumer<String> notice) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.progress = progress;
        this.fetchMissing = fetchMissing;
        this.notice = notice;
    }

    public CheckoutService(Workspace ws, ArtifactService artifacts, ProgressListener progress) {
        this(ws, artifacts, progress, refs -> { }, line -> { });
    }

    @JsonPropertyOrder({"tag", "target", "files_written", "files_unchanged", "bytes_verified"})
    public record Result(String tag, String target, int filesWritten, int filesUnchanged, long bytesVerified) {
    }

    /** Checks out {@code spec} into {@code to} (a fresh or existing folder), or into the work tree when null. */
    public Result checkout(VersionSpec spec, Path to, boolean force) {
        GitRegistry registry = new GitRegistry(ws.repository());
        // Another tool's version checks out too when its commit holds mver's record of it; tampering never does.
        Registration reg = registry.readAny(registry.resolve(spec));
        Metadata metadata = registry.metadata(reg);
        if (metadata == null) {
            throw MverException.notFound("%s was registered by another tool and its commit holds no mver record of %s; "
                    + "there are no artifacts to check out", reg.tag(), reg.tag().model());
        }
        fetchIfMissing(metadata.artifacts());
        requireObjects(metadata.artifacts(), ref -> "the metadata of " + reg.tag());
        Counter counter = new Counter();
        try {
            if (to != null) {
                SafeTree target = prepareTarget(to);
                if (!force) {
                    requireOnlyThisVersion(target.root(), metadata.artifacts(), reg.metadataPath(), reg.tag().toString());
                }
                for (ArtifactRef ref : metadata.artifacts()) {
                    recovering(ref, () -> write(target, ref, counter, true));
                }
                Path metaFile = target.prepareWrite(reg.metadataPath());
                AtomicFiles.write(metaFile, registry.readFile(reg.commit(), reg.metadataPath(), reg.tag().toString()));
                return new Result(reg.tag().shortName(), target.root().toString(), counter.written, counter.unchanged,
                        counter.bytes);
            }
            List<ArtifactRef> refs = metadata.artifacts();
            if (!force) {
                refs.forEach(this::requireReplaceable);
                requireRecordReplaceable(reg.metadataPath());
            }
            for (ArtifactRef ref : refs) {
                recovering(ref, () -> write(ws.tree(), ref, counter, false));
            }
            // The branch then says which version it uses, record and pointers alike: check and status agree on it,
            // and a commit records the switch (a pull of the latest version, a deliberate return to an older one).
            artifacts.track(refs, new FileEdits().whole(reg.metadataPath(),
                    registry.readFile(reg.commit(), reg.metadataPath(), reg.tag().toString())));
            return new Result(reg.tag().shortName(), ws.root().toString(), counter.written, counter.unchanged,
                    counter.bytes);
        } finally {
            artifacts.saveStatCache();
        }
    }

    /** Restores every tracked artifact of the work tree from its pointer (after a clone, or a deleted file). */
    public Result checkoutPointers(boolean force) {
        Counter counter = new Counter();
        List<ArtifactRef> refs = new ArrayList<>();
        for (RepoPath path : artifacts.trackedArtifacts()) {
            PointerFile p = artifacts.readPointer(path);
            if (p != null) {
                refs.add(new ArtifactRef(path, p.type(), p.sha256(), p.size()));
            }
        }
        if (!force) {
            refs.forEach(this::requireReplaceable);
        }
        fetchIfMissing(refs);
        requireObjects(refs, ref -> "pointer " + PointerFile.pointerPathOf(ref.path()));
        try {
            for (ArtifactRef ref : refs) {
                recovering(ref, () -> write(ws.tree(), ref, counter, false));
            }
        } finally {
            artifacts.saveStatCache();
        }
        return new Result(null, ws.root().toString(), counter.written, counter.unchanged, counter.bytes);
    }

    /**
     * What the hooks after {@code git checkout}, {@code merge} and {@code rebase} did: artifacts restored, artifacts
     * left alone because their bytes are the user's unsaved work, artifacts whose objects are not here (with why the
     * fetch failed, if it did), and artifacts that failed otherwise ({@code path: reason}).
     */
    @JsonPropertyOrder({"restored", "unsaved", "missing", "failed", "problem"})
    public record Followed(List<String> restored, List<String> unsaved, List<String> missing, List<String> failed,
                           String problem) {
    }

    /**
     * Brings every artifact in step with its pointer after git moved the pointers, for the hooks: never overwrites
     * bytes that are not in the cache, fetches missing objects only when {@code fetch} (saying so first: it runs
     * inside a git command), and never throws for one artifact's trouble: it is reported and the others go on.
     */
    public Followed followPointers(boolean fetch) {
        List<ArtifactRef> todo = new ArrayList<>();
        List<String> unsaved = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> restored = new ArrayList<>();
        String problem = null;
        try {
            for (RepoPath path : artifacts.trackedArtifacts()) {
                try {
                    ArtifactRef wanted = artifacts.recordedByPointer(path);
                    if (wanted == null) {
                        continue; // no pointer in the work tree, or an unreadable one: status reports it
                    }
                    ArtifactRef now = artifacts.currentState(path, wanted);
                    if (now != null && now.sha256().equals(wanted.sha256())) {
                        continue;
                    }
                    if (now != null && !cachedWholeUnlessCorrupt(now)) {
                        unsaved.add(path.value());
                        continue;
                    }
                    todo.add(wanted);
                } catch (RuntimeException e) {
                    failed.add(path.value() + ": " + Text.printable(String.valueOf(e.getMessage()), 200));
                }
            }
            List<ArtifactRef> absent = todo.stream().filter(r -> !cachedWholeUnlessCorrupt(r)).toList();
            if (fetch && !absent.isEmpty()) {
                long bytes = absent.stream().mapToLong(ArtifactRef::size).sum();
                notice.accept("fetching " + absent.size() + " artifact" + (absent.size() == 1 ? "" : "s") + " ("
                        + (bytes + (1 << 20) - 1 >> 20) + " MiB) from the default remote");
                try {
                    fetchMissing.accept(absent);
                } catch (MverException e) {
                    problem = e.getMessage();
                }
            }
            for (ArtifactRef ref : todo) {
                try {
                    if (!cachedWholeUnlessCorrupt(ref)) {
                        missing.add(ref.path().value());
                        continue;
                    }
                    requireObjects(ref, "pointer " + PointerFile.pointerPathOf(ref.path()));
                    write(ws.tree(), ref, new Counter(), false);
                    restored.add(ref.path().value());
                } catch (RuntimeException e) {
                    failed.add(ref.path().value() + ": " + Text.printable(String.valueOf(e.getMessage()), 200));
                }
            }
            return new Followed(restored, unsaved, missing, failed, problem);
        } finally {
            artifacts.saveStatCache();
        }
    }

    private void fetchIfMissing(List<ArtifactRef> refs) {
        List<ArtifactRef> missing = new ArrayList<>();
        for (ArtifactRef r : refs) {
            // A corrupt manifest is found here, reading it: recovered like any corrupt object.
            recovering(r, () -> {
                if (!cachedWhole(r)) {
                    missing.add(r);
                }
            });
        }
        if (!missing.isEmpty()) {
            fetchMissing.accept(missing);
        }
    }

    /**
     * Every object (and every file of every manifest) must be in the cache before the first byte is written, so a
     * missing object never leaves a half-built release or a work tree whose pointers disagree with its bytes.
     */
    private void requireObjects(List<ArtifactRef> refs, java.util.function.Function<ArtifactRef, String> claimant) {
        for (ArtifactRef r : refs) {
            recovering(r, () -> requireObjects(r, claimant.apply(r)));
        }
    }

    /**
     * Runs {@code step}; when it finds an object of {@code ref} corrupt (quarantined by the cache, exit 6), fetches
     * a good copy from the remote, says so, and runs it again. Without a remote, or when the remote has no good
     * copy, the corruption stays the error.
     */
    private void recovering(ArtifactRef ref, Runnable step) {
        try {
            step.run();
        } catch (MverException e) {
            if (e.exitCode() != ExitCode.INTEGRITY || cachedWhole(ref)) {
                throw e;
            }
            try {
                fetchMissing.accept(List.of(ref));
            } catch (MverException fetchFailed) {
                throw new MverException(e.exitCode(), e.getMessage() + "; no good copy on the remote either ("
                        + fetchFailed.getMessage() + ")", e);
            }
            if (!cachedWhole(ref)) {
                throw new MverException(e.exitCode(), e.getMessage() + "; " + ArtifactCache.RESTORE_ADVICE, e);
            }
            notice.accept(Text.printable(e.getMessage(), 400)
                    + "; fetched a good copy from the remote instead");
            step.run();
        }
    }

    /**
     * The objects are here and their sizes are the ones {@code claimant} (the pointer or record that named them)
     * gives: a wrong size in a pointer is the pointer's fault and is reported as such, never blamed on the object.
     */
    private void requireObjects(ArtifactRef r, String claimant) {
        if (!ws.cache().contains(r.sha256())) {
            throw MverException.notFound("object %s for %s is not in the local cache (%s)", r.sha256().shortHex(),
                    r.path(), ws.config().defaultRemote() == null ? RemoteService.NO_REMOTE
                            : "and not on the default remote either");
        }
        if (r.type() == ArtifactType.FILE) {
            ws.cache().requireSize(r.sha256(), r.size(), claimant);
            return;
        }
        Manifest manifest = ws.cache().readManifest(r.sha256(), r.path().value());
        if (manifest.totalSize() != r.size()) {
            throw MverException.integrity("%s says %d bytes, but the files of directory %s total %d bytes: the size "
                    + "in %s is wrong (the objects are sound)", claimant, r.size(), r.path(), manifest.totalSize(),
                    claimant);
        }
        for (Manifest.Entry e : manifest.files()) {
            if (!ws.cache().contains(e.sha256())) {
                throw MverException.notFound("object %s for %s/%s is not in the local cache",
                        e.sha256().shortHex(), r.path(), e.path());
            }
            ws.cache().requireSize(e.sha256(), e.size(), "the manifest of " + r.path());
        }
    }

    private static final class Counter {
        int written;
        int unchanged;
        long bytes;
    }

    /** What a folder inside the work tree holds so that git ignores the release in it (as Python's venv does). */
    static final String IGNORE_ALL = "# written by mver checkout --to: a release, not part of the repository\n*\n";

    private SafeTree prepareTarget(Path to) {
        Path dir = to.toAbsolutePath().normalize();
        Path gitDir = ws.repository().getDirectory().toPath().toAbsolutePath().normalize();
        if (dir.startsWith(gitDir) || ws.root().startsWith(dir)) {
            throw MverException.usage("--to %s is %s; use 'mver checkout NAME@vX.Y.Z' without --to to restore into "
                    + "the work tree, or give a new folder", dir, dir.startsWith(gitDir) ? "inside .git"
                    : "the work tree itself");
        }
        try {
            if (Files.isSymbolicLink(dir)) {
                throw MverException.usage("checkout target %s is a symbolic link", dir);
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw MverException.usage("checkout target %s is a file, not a folder", dir);
            }
            boolean fresh = !Files.exists(dir);
            Files.createDirectories(dir);
            if (dir.startsWith(ws.root()) && (fresh || FileTrees.isEmptyFolder(dir))) {
                // Inside the work tree a release would otherwise show up in git status and could be committed.
                AtomicFiles.write(dir.resolve(".gitignore"), IGNORE_ALL.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw MverException.usage("cannot create checkout folder %s: %s", dir, e.getMessage());
        }
        return new SafeTree(dir);
    }

    /**
     * A folder that already holds files is only checked out into again when every file there belongs to this
     * version (a repeated checkout, which then rewrites nothing that is right): mixed with another version's or
     * unrelated files, the folder would look like a release it is not.
     */
    private static boolean isIgnoreAll(Path file) throws IOException {
        return Files.size(file) == IGNORE_ALL.length() && Files.readString(file).equals(IGNORE_ALL);
    }

    private static void requireOnlyThisVersion(Path dir, List<ArtifactRef> refs, RepoPath record, String version) {
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.equals(dir) || (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
                    continue;
                }
                String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (rel.equals(".gitignore") && isIgnoreAll(p)) {
                    continue; // mver's own, from an earlier checkout into this folder inside the work tree
                }
                // A link where the version has a folder is this version's path: writing refuses it, as exit 2.
                boolean ours = rel.equals(record.value()) || record.value().startsWith(rel + "/")
                        || refs.stream().anyMatch(r -> rel.equals(r.path().value())
                        || r.path().value().startsWith(rel + "/")
                        || (r.type() == ArtifactType.DIR && rel.startsWith(r.path().value() + "/")));
                if (!ours) {
                    throw MverException.conflict("%s already holds %s, which is not part of %s; give a new or empty "
                            + "folder (or pass --force to check out beside it)", dir, rel, version);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A work-tree artifact may be overwritten only when nothing is lost: it is missing, already equal to the
     * target, or its current bytes are in the cache. Otherwise the user's unsaved model is refused over.
     */
    private void requireReplaceable(ArtifactRef ref) {
        Path file = ws.tree().resolve(ref.path());
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        ArtifactRef pointer = artifacts.recordedByPointer(ref.path());
        ArtifactRef now = artifacts.currentState(ref.path(), pointer == null ? ref : pointer);
        if (now == null || now.sha256().equals(ref.sha256())) {
            return;
        }
        if (cachedWholeUnlessCorrupt(now)) {
            return;
        }
        throw MverException.conflict("%s has changes that are not in the cache; run 'mver add %s' to keep them "
                + "or pass --force to overwrite", ref.path(), ref.path());
    }

    /**
     * The record a work-tree checkout replaces must hold nothing that would be lost: no edit that is not staged (a
     * registered version's record, as an interrupted register or checkout leaves it, is no edit), no merge conflict
     * (staging the version's record would mark it resolved).
     */
    private void requireRecordReplaceable(RepoPath record) {
        Path file = ws.tree().resolve(record);
        try {
            org.eclipse.jgit.dircache.DirCache index = ws.repository().readDirCache();
            int at = index.findEntry(record.value());
            if (at < 0) {
                return;
            }
            for (int i = at; i < index.getEntryCount() && index.getEntry(i).getPathString().equals(record.value()); i++) {
                if (index.getEntry(i).getStage() != 0) {
                    throw MverException.conflict("%s is in a merge conflict; resolve it first (or pass --force to "
                            + "take the version's record)", record);
                }
            }
            byte[] now = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? Files.readAllBytes(file) : null;
            if (now != null && !java.util.Arrays.equals(now,
                    ws.repository().open(index.getEntry(at).getObjectId()).getBytes()) && !registeredRecord(now)) {
                throw MverException.conflict("%s has changes that are not staged; commit, stage or drop them (git "
                        + "restore %s), or pass --force to replace them", record, record);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + record + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code bytes} are exactly a registered version's record (mver wrote them: nothing of the user's). */
    private boolean registeredRecord(byte[] bytes) {
        try {
            Metadata m = Metadata.parse(bytes, "the record");
            GitRegistry registry = new GitRegistry(ws.repository());
            Registration reg = registry.readAny(new dev.mver.core.value.TagName(m.modelName(), m.semVer()));
            return reg.payload() != null && reg.payload().metadataSha256().equals(Sha256.hash(bytes));
        } catch (MverException e) {
            return false;
        }
    }

    /**
     * For the user's own unsaved bytes: a corrupt cached copy of them is no copy (the remote is not asked: it rarely
     * has work that was never registered), so the conflict advice to add them or pass --force applies.
     */
    private boolean cachedWholeUnlessCorrupt(ArtifactRef ref) {
        try {
            return cachedWhole(ref);
        } catch (MverException e) {
            if (e.exitCode() == ExitCode.INTEGRITY) {
                return false;
            }
            throw e;
        }
    }

    private boolean cachedWhole(ArtifactRef ref) {
        return ws.cache().containsWhole(ref.sha256(), ref.type(), ref.path().value());
    }

    private void write(SafeTree target, ArtifactRef ref, Counter counter, boolean fresh) {
        if (ref.type() == ArtifactType.FILE) {
            writeFile(target, ref.path(), ref.sha256(), ref.size(), counter, fresh, false);
            return;
        }
        Manifest manifest = ws.cache().readManifest(ref.sha256(), ref.path().value());
        Path dir = target.resolve(ref.path());
        if (Files.isSymbolicLink(dir)) {
            throw MverException.usage("refusing to write into %s: it is a symbolic link", ref.path());
        }
        if (Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.conflict("cannot check out directory %s: a file is in the way", ref.path());
        }
        removeExtraFiles(dir, ref, manifest, fresh);
        target.prepareFolder(ref.path());
        for (Manifest.Entry e : manifest.files()) {
            RepoPath path = ref.path().resolve(e.path());
            writeFile(target, path, e.sha256(), e.size(), counter, fresh, e.executable());
            FileModes.setExecutable(target.resolve(path), e.executable());
        }
        for (RepoPath empty : manifest.dirs()) {
            target.prepareFolder(ref.path().resolve(empty));
        }
        removeExtraFolders(dir, manifest);
    }

    /** Folders the version does not have (left empty by another version's files) go; they hold nothing. */
    private static void removeExtraFolders(Path dir, Manifest manifest) {
        java.util.Set<String> keep = new java.util.HashSet<>();
        manifest.dirs().forEach(d -> keep.add(d.value()));
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                if (rel.equals(".gitignore") && isIgnoreAll(p)) {
                    continue; // mver's own, from an earlier checkout into this folder inside the work tree
                }
                if (!p.equals(dir) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !keep.contains(rel)) {
                    try (java.util.stream.Stream<Path> children = Files.list(p)) {
                        if (children.findAny().isEmpty()) {
                            Files.delete(p);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tidy " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A directory artifact is exactly its manifest. In a release folder, files that are not part of it are
     * refused; in the work tree they are removed when their bytes are safe in the cache (they belong to another
     * version), and refused otherwise, so unsaved work is never deleted.
     */
    private void removeExtraFiles(Path dir, ArtifactRef ref, Manifest manifest, boolean release) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        java.util.Set<String> expected = new java.util.HashSet<>();
        manifest.files().forEach(e -> expected.add(e.path().value()));
        List<Path> extras;
        try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
            extras = walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .filter(p -> !expected.contains(dir.relativize(p).toString().replace(java.io.File.separatorChar, '/')))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        for (Path extra : extras) {
            boolean safe = !release && Files.isRegularFile(extra, LinkOption.NOFOLLOW_LINKS) && inCache(extra);
            if (!safe) {
                throw MverException.conflict("%s holds %s, which is not part of this version; move it away%s",
                        ref.path(), dir.relativize(extra), release ? " (or check out into an empty folder)"
                                : " or run 'mver add " + ref.path() + "' to keep it");
            }
        }
        for (Path extra : extras) {
            try {
                Files.delete(extra);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + extra + ": " + e.getMessage(), e);
            }
        }
    }

    private boolean inCache(Path file) {
        try {
            return ws.cache().contains(HashingCopy.hash(file, ProgressListener.NONE).sha256());
        } catch (IOException e) {
            return false;
        }
    }

    private void writeFile(SafeTree target, RepoPath path, Sha256 sha, long size, Counter counter, boolean fresh,
                           boolean executable) {
        Path file = target.prepareWrite(path);
        if (!fresh && sha.equals(artifacts.knownHash(path))) {
            counter.unchanged++;
            return;
        }
        progress.start(path.value(), size);
        try {
            // Links only into the work tree (a release folder outside it would share the cache's objects, where one
            // edit corrupts them), and never for an executable file, whose execute bits would be the object's.
            if (ws.config().linksArtifacts() && !fresh && !executable) {
                ws.cache().materializeLinked(sha, size, file, path.value(), progress);
            } else {
                ws.cache().materialize(sha, size, file, path.value(), progress);
            }
        } finally {
            progress.finish();
        }
        counter.written++;
        counter.bytes += size;
    }
}
