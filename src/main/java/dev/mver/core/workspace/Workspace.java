package dev.mver.core.workspace;

import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.git.GitDirs;
import dev.mver.core.git.GitLocks;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.io.SafeTree;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * An mver-enabled Git work tree: the repository, its {@code .mver} folder, the local cache, and the rules for
 * turning user-supplied paths into safe repository paths. Opening one is the first step of every command.
 */
public final class Workspace implements AutoCloseable {
    public static final String MVER_DIR = ".mver";
    public static final String CONFIG_FILE = WorkspaceConfig.FILE;
    public static final String MODELS_DIR = ".mver/models";
    public static final String CONFIG_SCHEMA = WorkspaceConfig.SCHEMA;

    private final Repository repository;
    private final Path root;
    private final Path cwd;
    private final SafeTree tree;
    private ArtifactCache cache;
    private WorkspaceConfig config;

    private Workspace(Repository repository, Path cwd) {
        this.repository = repository;
        this.root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
        this.cwd = cwd;
        this.tree = new SafeTree(root);
    }

    /** Opens the Git work tree containing {@code dir}; it must have been set up with {@code mver init}. */
    public static Workspace open(Path dir) {
        return open(dir, null);
    }

    /** As {@link #open(Path)}, with {@code repository} (of {@code dir}, may be null) already opened by the caller. */
    public static Workspace open(Path dir, Repository repository) {
        Workspace ws = new Workspace(repository != null ? repository : openRepository(dir), dir.toAbsolutePath().normalize());
        try {
            // A committed link could point mver's folder (and every write into it) at another repository, and
            // one in place of the cache of older versions at another repository's objects.
            GitDirs.requireNoLinks(ws.root, ws.root.resolve(CONFIG_FILE), "");
            if (Files.isSymbolicLink(ws.root.resolve(MVER_DIR).resolve(LEGACY_CACHE)) && ws.sharedCacheDir() == null) {
                GitDirs.requireNoLinks(ws.root, ws.root.resolve(MVER_DIR).resolve(LEGACY_CACHE), LEGACY_LINK_ADVICE);
            }
        } catch (MverException e) {
            ws.close();
            throw e;
        }
        if (!Files.isRegularFile(ws.root.resolve(CONFIG_FILE), LinkOption.NOFOLLOW_LINKS)) {
            ws.close();
            throw MverException.usage("%s is not set up for mver (run 'mver init')", ws.root);
        }
        // The config is parsed on first use: read-only registry commands (list, show, log) never need it, and
        // loading the JSON mapper costs more than they do.
        return ws;
    }

    /** The repository whose work tree contains {@code dir}; a usage error when there is none. */
    public static Repository openRepository(Path dir) {
        Path start = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(start)) {
            throw MverException.usage("%s is not a directory", start);
        }
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
        if (builder.getGitDir() == null) {
            throw MverException.usage("not a git repository (or any parent up to /): %s", start);
        }
        try {
            Repository repo = builder.setMustExist(true).build();
            if (repo.isBare()) {
                repo.close();
                throw MverException.usage("%s is a bare repository; mver needs a work tree", builder.getGitDir());
            }
            return repo;
        } catch (IOException e) {
            throw MverException.usage("cannot open git repository at %s: %s", builder.getGitDir(), e.getMessage());
        }
    }

    private WorkspaceConfig readConfig() {
        return WorkspaceConfig.parse(BoundedInput.read(root.resolve(CONFIG_FILE), "config",
                Json.MAX_DOCUMENT_BYTES));
    }

    /** Reads the config now, so a broken one is refused before any work (the side effect is the point). */
    public void requireValidConfig() {
        config();
    }

    public WorkspaceConfig config() {
        if (config == null) {
            config = readConfig();
        }
        return config;
    }

    /**
     * A failure to read or lock git's index as a user-facing error: a lock held by another git or mver command is
     * a conflict (exit 5), not a bug.
     */
    public static MverException indexFailure(Exception e) {
        return GitLocks.indexFailure(e);
    }

    /** Writes {@code updated} as the new canonical config, atomically, and stages it. */
    public void saveConfig(WorkspaceConfig updated) {
        AtomicFiles.write(tree.prepareWrite(RepoPath.of(CONFIG_FILE)),
                Json.canonicalBytes(updated));
        try (org.eclipse.jgit.api.Git git = new org.eclipse.jgit.api.Git(repository)) {
            git.add().addFilepattern(CONFIG_FILE).call();
        } catch (org.eclipse.jgit.api.errors.GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw indexFailure(e);
        }
        this.config = updated;
    }

    public Repository repository() {
        return repository;
    }

    public Path root() {
        return root;
    }

    public SafeTree tree() {
        return tree;
    }

    /**
     * The object cache: one per repository, in git's common directory (as git-lfs keeps {@code .git/lfs/objects}),
     * so every linked work tree sees the same objects and removing a work tree removes none of them; or the folder
     * the user shares between clones on purpose ({@code git config mver.cacheDir PATH}, a per-clone setting that
     * no commit can carry). A cache left in {@code .mver/cache} by an older mver is moved in on first use.
     */
    public synchronized ArtifactCache cache() {
        if (cache == null) {
            Path shared = sharedCacheDir();
            Path legacy = root.resolve(MVER_DIR).resolve(LEGACY_CACHE);
            if (shared == null) {
                GitDirs.requireNoLinks(root, legacy, LEGACY_LINK_ADVICE);
                Path dir = GitDirs.shared(repository);
                for (String sub : ArtifactCache.FOLDERS) {
                    GitDirs.requireNoLinks(dir.getParent(), dir.resolve(sub), LINK_ADVICE);
                }
                cache = new ArtifactCache(dir);
            } else {
                cache = new ArtifactCache(shared);
            }
            if (Files.isDirectory(legacy, LinkOption.NOFOLLOW_LINKS)) {
                cache.adopt(legacy);
            }
        }
        return cache;
    }

    private static final String LEGACY_CACHE = "cache";
    private static final String LEGACY_LINK_ADVICE = "; mver keeps its cache in git's folder: remove the link, "
            + "or share a cache between clones on purpose with 'git config mver.cacheDir PATH'";
    private static final String LINK_ADVICE = "; to share a cache between clones, set it with "
            + "'git config mver.cacheDir PATH'";

    /**
     * The cache folder the user chose to share between clones ({@code git config mver.cacheDir}), or null. Only
     * git's own configuration can set it, never a file in the work tree, so no commit can redirect the cache.
     */
    public Path sharedCacheDir() {
        String dir = repository.getConfig().getString("mver", null, "cacheDir");
        if (dir == null || dir.isBlank()) {
            return null;
        }
        if (dir.chars().anyMatch(c -> c < 0x20)) {
            throw MverException.usage("git config mver.cacheDir holds a control character");
        }
        if (dir.equals("~") || dir.startsWith("~/")) {
            String home = System.getenv("HOME");
            dir = (home != null ? home : System.getProperty("user.home")) + dir.substring(1);
        }
        try {
            return root.resolve(dir).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw MverException.usage("git config mver.cacheDir is not a valid path: %s", e.getMessage());
        }
    }

    /** The stat cache of this work tree: its paths and inodes mean nothing in another one. */
    public Path statCacheFile() {
        Path dir = GitDirs.ownWorkTree(repository);
        GitDirs.requireNoLinks(dir.getParent(), dir, LINK_ADVICE);
        return dir.resolve("stat-cache");
    }

    /** Where a model's metadata record lives in the repository. */
    public static RepoPath metadataPath(ModelName name) {
        return Metadata.recordPath(name);
    }

    /**
     * The model's record as the work tree has it (the version this branch says it uses, possibly edited by hand):
     * read only when it is a plain file within a record's size; null when it is absent, unreadable, or another
     * model's.
     */
    public Metadata workTreeRecord(ModelName model) {
        RepoPath path = metadataPath(model);
        try {
            Path file = tree().resolve(path);
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return null;
            }
            Metadata m = Metadata.parse(BoundedInput.read(file, "the record of " + model, Json.MAX_DOCUMENT_BYTES),
                    path.value());
            return m.modelName().equals(model) ? m : null;
        } catch (MverException | java.io.UncheckedIOException e) {
            return null; // check and verify report what is wrong with it
        }
    }


    /**
     * Turns a path typed by the user (relative to the current directory, or absolute) into a repository path,
     * refusing anything outside the work tree or inside {@code .git} or {@code .mver}.
     */
    public RepoPath repoPath(String userPath) {
        if (userPath.indexOf('\0') >= 0) {
            throw MverException.usage("path contains a NUL character");
        }
        Path p = cwd.resolve(Paths.get(userPath)).toAbsolutePath().normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw MverException.usage("'%s' is outside the repository %s", userPath, root);
        }
        RepoPath rel = RepoPath.relative(root, p);
        if (rel.inMverFolder()) {
            throw MverException.usage("'%s' is inside mver's own folder %s", userPath, MVER_DIR);
        }
        return rel;
    }

    @Override
    public void close() {
        // Repository.close() without its RepositoryCache lookup (mver never registers a repository there): that
        // lookup starts JGit's work-queue thread and a shutdown hook, a tenth of what status costs beyond start-up.
        repository.getObjectDatabase().close();
        repository.getRefDatabase().close();
    }
}
