package dev.mver.core.workspace;

import dev.mver.core.MverException;
import dev.mver.core.store.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/** Sets a work tree up for mver: {@code .mver/config.json}, the cache ignored; runs {@code git init} if needed. */
public final class InitService {

    public record Result(Path root, boolean gitInitialised, boolean configCreated) {
    }

    static final String CONFIG = "{\n  \"schema\": \"" + Workspace.CONFIG_SCHEMA + "\"\n}\n";
    static final String IGNORE = "# mver's local object cache: never committed\n/cache/\n";

    public Result init(Path dir) {
        Path start = dir.toAbsolutePath().normalize();
        boolean gitInitialised = false;
        FileRepositoryBuilder probe = new FileRepositoryBuilder().readEnvironment().findGitDir(start.toFile());
        if (probe.getGitDir() == null) {
            try {
                Files.createDirectories(start);
                Git.init().setDirectory(start.toFile()).setInitialBranch("main").call().close();
                gitInitialised = true;
            } catch (IOException | GitAPIException e) {
                throw MverException.usage("cannot create a git repository in %s: %s", start, e.getMessage());
            }
        }
        try (Repository repo = Workspace.openRepository(start); Git git = new Git(repo)) {
            Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            Path config = root.resolve(Workspace.CONFIG_FILE);
            Path ignore = root.resolve(Workspace.MVER_DIR).resolve(".gitignore");
            boolean created = false;
            if (!Files.exists(config)) {
                AtomicFiles.write(config, CONFIG.getBytes(StandardCharsets.UTF_8));
                created = true;
            }
            if (!Files.exists(ignore)) {
                AtomicFiles.write(ignore, IGNORE.getBytes(StandardCharsets.UTF_8));
            }
            try (Workspace ws = Workspace.open(root)) {
                // Validates an existing config; a broken one should fail here, not on the next command.
            }
            git.add().addFilepattern(Workspace.CONFIG_FILE).addFilepattern(".mver/.gitignore").call();
            return new Result(root, gitInitialised, created);
        } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw Workspace.indexFailure(e);
        }
    }
}
