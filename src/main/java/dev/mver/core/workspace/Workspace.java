package dev.mver.core.workspace;

import dev.mver.core.MverException;
import dev.mver.core.model.ModelName;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.RepoPath;
import dev.mver.core.store.SafeTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    public static final String CONFIG_FILE = ".mver/config.json";
    public static final String MODELS_DIR = ".mver/models";
    public static final String CONFIG_SCHEMA = WorkspaceConfig.SCHEMA;

    private final Repository repository;
    private final Path root;
    private final Path cwd;
    private final SafeTree tree;
    private final ArtifactCache cache;
    private WorkspaceConfig config;

    private Workspace(Repository repository, Path cwd) {
        this.repository = repository;
        this.root = repository.getWorkTree().toPath().toAbsolutePath().normalize();
        this.cwd = cwd;
        this.tree = new SafeTree(root);
        this.cache = new ArtifactCache(root.resolve(MVER_DIR).resolve("cache"));
    }

    /** Opens the Git work tree containing {@code dir}; it must have been set up with {@code mver init}. */
    public static Workspace open(Path dir) {
        return open(dir, null);
    }

    /** As {@link #open(Path)}, with {@code repository} (of {@code dir}, may be null) already opened by the caller. */
    public static Workspace open(Path dir, Repository repository) {
        Workspace ws = new Workspace(repository != null ? repository : openRepository(dir), dir.toAbsolutePath().normalize());
        if (!Files.isRegularFile(ws.root.resolve(CONFIG_FILE))) {
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
        Path file = root.resolve(CONFIG_FILE);
        try {
            return WorkspaceConfig.parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jgit.errors.LockFailedException locked) {
                java.nio.file.Path file = locked.getFile().toPath();
                java.nio.file.Path lock = dev.mver.core.registry.GitLocks.stale(file.getParent(),
                        file.getFileName().toString());
                if (lock != null) {
                    return MverException.conflict(dev.mver.core.registry.GitLocks.advice(file.getParent(), lock));
                }
                return MverException.conflict("the git index is locked (another git or mver command is running); "
                        + "try again");
            }
        }
        return new MverException(dev.mver.core.ExitCode.INTERNAL, "cannot update the git index: " + e.getMessage(), e);
    }

    /** Writes {@code updated} as the new canonical config, atomically, and stages it. */
    public void saveConfig(WorkspaceConfig updated) {
        dev.mver.core.store.AtomicFiles.write(root.resolve(CONFIG_FILE), dev.mver.core.Json.canonicalBytes(updated));
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

    public ArtifactCache cache() {
        return cache;
    }

    public Path statCacheFile() {
        return cache.root().resolve("stat-cache");
    }

    /** Where a model's metadata record lives in the repository. */
    public static RepoPath metadataPath(ModelName name) {
        return RepoPath.of(MODELS_DIR + "/" + name.value() + ".json");
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
        RepoPath rel;
        try {
            rel = RepoPath.relative(root, p);
        } catch (IllegalArgumentException e) {
            throw MverException.usage("%s", e.getMessage());
        }
        if (rel.value().equals(MVER_DIR) || rel.value().startsWith(MVER_DIR + "/")) {
            throw MverException.usage("'%s' is inside mver's own folder %s", userPath, MVER_DIR);
        }
        return rel;
    }

    @Override
    public void close() {
        repository.close();
    }
}
