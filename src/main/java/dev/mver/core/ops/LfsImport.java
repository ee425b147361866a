package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.git.FileEdits;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.LfsPointer;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.attributes.AttributesRule;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;

/**
 * Files tracked by git-lfs made mver artifacts, in one commit: git-lfs names an object by the SHA-256 of its bytes,
 * as mver does, so each object is taken from git-lfs's own store ({@code .git/lfs/objects}, or {@code lfs.storage})
 * and verified against that hash on the way into mver's cache ({@code git lfs fetch} first for any not there). The
 * file's pointer replaces git-lfs's in the index, the bytes stay in the work tree (ignored, as every artifact), and
 * {@code .gitattributes} loses each {@code filter=lfs} line no file still tracked by git-lfs matches. History is not
 * rewritten: older commits keep their git-lfs pointers.
 */
public final class LfsImport {
    /** One file moved: where, its hash and size, and whether its object had to be fetched first. */
    @JsonPropertyOrder({"path", "sha256", "size", "fetched"})
    public record Moved(String path, String sha256, long size, boolean fetched) {
    }

    /** What moved, what git-lfs still tracks, which attribute lines went, and the commit that says so. */
    @JsonPropertyOrder({"moved", "still_lfs", "attributes_removed", "commit"})
    public record Report(List<Moved> moved, List<String> stillLfs, List<String> attributesRemoved, String commit) {
    }

    private static final RepoPath ATTRIBUTES = RepoPath.of(".gitattributes");

    private final Workspace ws;
    private final ArtifactService artifacts;
    private final GitIdentity identity;
    private final Map<String, String> env;

    public LfsImport(Workspace ws, ArtifactService artifacts, GitIdentity identity, Map<String, String> env) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.identity = identity;
        this.env = env;
    }

    public Report run(List<String> patterns) {
        Repository repo = ws.repository();
        ImportCommit.requireNothingStaged(repo);
        Map<RepoPath, LfsPointer.Parsed> tracked = trackedByLfs(repo);
        Map<RepoPath, LfsPointer.Parsed> chosen = new LinkedHashMap<>();
        for (String pattern : patterns.isEmpty() ? List.of("*") : patterns) {
            AttributesRule rule = new AttributesRule(pattern, "");
            int before = chosen.size();
            boolean any = false;
            for (Map.Entry<RepoPath, LfsPointer.Parsed> e : tracked.entrySet()) {
                if (rule.isMatch(e.getKey().value(), false)) {
                    chosen.put(e.getKey(), e.getValue());
                    any = true;
                }
            }
            if (!any && before == chosen.size()) {
                throw MverException.usage("no file tracked by git-lfs matches '%s'%s", pattern, tracked.isEmpty()
                        ? " (git-lfs tracks no file here)" : " (it tracks " + tracked.size() + ", e.g. "
                        + tracked.keySet().iterator().next() + ")");
            }
        }
        // A work-tree copy with edits git-lfs has not recorded would be overwritten: refused before anything moves.
        for (Map.Entry<RepoPath, LfsPointer.Parsed> e : chosen.entrySet()) {
            requireUnchanged(e.getKey(), e.getValue());
        }
        List<RepoPath> missing = chosen.entrySet().stream()
                .filter(e -> !Files.isRegularFile(lfsObject(repo, e.getValue()))).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            fetch(missing);
        }
        List<ArtifactRef> refs = new ArrayList<>();
        List<Moved> moved = new ArrayList<>();
        for (Map.Entry<RepoPath, LfsPointer.Parsed> e : chosen.entrySet()) {
            LfsPointer.Parsed p = e.getValue();
            Path object = lfsObject(repo, p);
            if (!Files.isRegularFile(object)) {
                throw MverException.notFound("git-lfs has no object for %s (%s), even after git lfs fetch: push it "
                        + "from a clone that has it, then import again", e.getKey(), p.oid().shortHex());
            }
            try (InputStream in = Files.newInputStream(object)) {
                ws.cache().ingestVerified(in, p.oid(), p.size(), e.getKey() + " (git-lfs object)",
                        ProgressListener.NONE);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot read " + object + ": " + ex.getMessage(), ex);
            }
            // The bytes in the work tree, where git-lfs's smudge would have put them (a skipped smudge left the
            // pointer's text there).
            ws.cache().materialize(p.oid(), p.size(), ws.tree().resolve(e.getKey()), e.getKey().value(),
                    ProgressListener.NONE);
            refs.add(new ArtifactRef(e.getKey(), ArtifactType.FILE, p.oid(), p.size()));
            moved.add(new Moved(e.getKey().value(), p.oid().hex(), p.size(), missing.contains(e.getKey())));
        }
        artifacts.requireNotNested(chosen.keySet());
        List<String> stillLfs = tracked.keySet().stream().filter(k -> !chosen.containsKey(k)).map(RepoPath::value)
                .toList();
        List<String> removed = attributeLinesToDrop(chosen.keySet(), stillLfs);
        FileEdits attributes = new FileEdits().removeLines(ATTRIBUTES, removed);
        if (keepsLfsLines(removed)) {
            // A filter=lfs line that stays may match the pointers written now (models/** filter=lfs): a later
            // line wins, and this one keeps git-lfs off mver's pointers.
            attributes.ensureLines(ATTRIBUTES, POINTERS_OUT_OF_LFS);
        }
        artifacts.track(refs, attributes);
        return new Report(moved, stillLfs, removed, commit(repo, moved, removed));
    }

    /** The index's files whose staged content is a git-lfs pointer, by path. */
    private static Map<RepoPath, LfsPointer.Parsed> trackedByLfs(Repository repo) {
        Map<RepoPath, LfsPointer.Parsed> out = new LinkedHashMap<>();
        try (ObjectReader reader = repo.newObjectReader()) {
            DirCache index = repo.readDirCache();
            for (int i = 0; i < index.getEntryCount(); i++) {
                DirCacheEntry e = index.getEntry(i);
                // The entry's length is the work tree file's (git-lfs's clean filter staged the pointer for it):
                // the staged blob's own size tells a pointer.
                if (e.getStage() != DirCacheEntry.STAGE_0 || !(e.getFileMode().equals(FileMode.REGULAR_FILE)
                        || e.getFileMode().equals(FileMode.EXECUTABLE_FILE))
                        || reader.getObjectSize(e.getObjectId(), Constants.OBJ_BLOB) > LfsPointer.MAX_BYTES) {
                    continue;
                }
                LfsPointer.Parsed p = LfsPointer.parse(reader.open(e.getObjectId(), Constants.OBJ_BLOB)
                        .getBytes(LfsPointer.MAX_BYTES + 1));
                if (p != null) {
                    out.put(RepoPath.of(e.getPathString()), p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read git's index: " + e.getMessage(), e);
        }
        return out;
    }

    /** Where git-lfs keeps an object: {@code lfs.storage} (relative to git's common folder) or {@code lfs/}. */
    private static Path lfsObject(Repository repo, LfsPointer.Parsed p) {
        Path common = repo.getCommonDirectory().toPath();
        String storage = repo.getConfig().getString("lfs", null, "storage");
        Path root = storage == null || storage.isBlank() ? common.resolve("lfs") : common.resolve(storage);
        String hex = p.oid().hex();
        return root.resolve("objects").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
    }

    /** {@code git lfs fetch} of the objects of {@code paths} from the default remote. */
    private void fetch(List<RepoPath> paths) {
        List<String> cmd = List.of("git", "lfs", "fetch", "--include",
                String.join(",", paths.stream().map(RepoPath::value).toList()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ws.root().toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        try {
            Process process = pb.start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            if (process.exitValue() != 0) {
                String said = new String(output, StandardCharsets.UTF_8).strip();
                throw MverException.notFound("git-lfs has no local object for %s and git lfs fetch failed: %s",
                        paths.get(0), said.lines().reduce((a, b) -> b).orElse("(no output)"));
            }
        } catch (IOException e) {
            throw MverException.notFound("git-lfs has no local object for %s and git-lfs cannot be run (%s): install "
                    + "git-lfs or fetch the objects in another clone", paths.get(0), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted while running git lfs fetch");
        } catch (IllegalThreadStateException e) {
            throw MverException.notFound("git lfs fetch did not finish for %s", paths.get(0));
        }
    }

    /** The lines that keep git-lfs's filter off mver's pointer files and the ignore files beside them. */
    private static final List<String> POINTERS_OUT_OF_LFS = List.of("*.mver -filter -diff -merge -text",
            ".gitignore -filter -diff -merge");

    /** Refuses a work-tree file that is neither git-lfs's pointer nor the bytes it names (local edits). */
    private void requireUnchanged(RepoPath path, LfsPointer.Parsed p) {
        Path file = ws.tree().resolve(path);
        try {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            long size = Files.size(file);
            if (size <= LfsPointer.MAX_BYTES && LfsPointer.parse(Files.readAllBytes(file)) != null) {
                return; // the pointer's text, as a clone without git-lfs's smudge leaves it
            }
            if (size != p.size() || !dev.mver.core.store.HashingCopy.hash(file, ProgressListener.NONE).sha256().equals(p.oid())) {
                throw MverException.usage("%s has changes git-lfs has not recorded: commit them (or git checkout -- "
                        + "%s to drop them), then import again", path, path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Whether a {@code filter=lfs} line stays in the root {@code .gitattributes} once {@code removed} are gone. */
    private boolean keepsLfsLines(List<String> removed) {
        Path file = ws.tree().resolve(ATTRIBUTES);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        String text = new String(BoundedInput.read(file, ".gitattributes", 1 << 20), StandardCharsets.UTF_8);
        return text.lines().map(String::strip).anyMatch(l -> l.contains("filter=lfs") && !l.startsWith("#")
                && !removed.contains(l));
    }

    /**
     * The root {@code .gitattributes}' {@code filter=lfs} lines that matched a file moved now and match no file
     * still tracked by git-lfs; a line for files that are not here (yet) stays.
     */
    private List<String> attributeLinesToDrop(java.util.Set<RepoPath> moved, List<String> stillLfs) {
        Path file = ws.tree().resolve(ATTRIBUTES);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        List<String> drop = new ArrayList<>();
        String text = new String(BoundedInput.read(file, ".gitattributes", 1 << 20), StandardCharsets.UTF_8);
        for (String line : text.split("\r?\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length < 2 || parts[0].startsWith("#") || !List.of(parts).contains("filter=lfs")) {
                continue;
            }
            AttributesRule rule = new AttributesRule(parts[0], "");
            if (moved.stream().anyMatch(p -> rule.isMatch(p.value(), false))
                    && stillLfs.stream().noneMatch(p -> rule.isMatch(p, false))) {
                drop.add(line.strip());
            }
        }
        return drop;
    }

    /** The commit of what the import staged, saying what moved. */
    private String commit(Repository repo, List<Moved> moved, List<String> removed) {
        StringBuilder msg = new StringBuilder("mver: move " + moved.size() + " file" + (moved.size() == 1 ? "" : "s")
                + " from git-lfs to mver\n\n");
        for (Moved m : moved) {
            msg.append("- ").append(m.path()).append(" (sha256 ").append(m.sha256(), 0, 12).append(", ")
                    .append(m.size()).append(" bytes)\n");
        }
        if (!removed.isEmpty()) {
            msg.append("\n.gitattributes no longer sends these to git-lfs:\n");
            removed.forEach(r -> msg.append("  ").append(r).append('\n'));
        }
        return ImportCommit.commit(repo, identity, msg.toString());
    }
}
