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

    public record Result(Path root, boolean gitInitialised, boolean configCreated, String ciTemplate) {
    }

    /** Where `init --ci` puts each CI system's template, and which shipped template it is. */
    private static final java.util.Map<String, String[]> CI = java.util.Map.of(
            "github", new String[] {".github/workflows/mver-release.yml", "github-actions/release.yml"},
            "gitlab", new String[] {".gitlab/mver-release.yml", "gitlab-ci/release.yml"});

    public Result init(Path dir) {
        return init(dir, null);
    }

    private static void copyTemplate(Path target, String resource) {
        byte[] bytes;
        try (java.io.InputStream in = InitService.class.getResourceAsStream("/dev/mver/templates/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("template " + resource + " is missing from mver's jar");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try {
            if (Files.exists(target) && !java.util.Arrays.equals(Files.readAllBytes(target), bytes)) {
                throw MverException.conflict("%s exists and differs from mver's template; move it away first", target);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        AtomicFiles.write(target, bytes);
    }

    static final String CONFIG = "{\n  \"schema\": \"" + Workspace.CONFIG_SCHEMA + "\"\n}\n";
    static final String IGNORE = "# mver's local object cache: never committed\n/cache/\n";

    public Result init(Path dir, String ci) {
        if (ci != null && !CI.containsKey(ci)) {
            throw MverException.usage("unknown CI '%s' (expected github or gitlab)", dev.mver.core.Text.printable(ci, 20));
        }
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
                ws.config(); // an existing config that is broken fails here, not on the next command
            }
            var add = git.add().addFilepattern(Workspace.CONFIG_FILE).addFilepattern(".mver/.gitignore");
            String template = null;
            if (ci != null) {
                template = CI.get(ci)[0];
                copyTemplate(root.resolve(template), CI.get(ci)[1]);
                add.addFilepattern(template);
            }
            add.call();
            return new Result(root, gitInitialised, created, template);
        } catch (GitAPIException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw Workspace.indexFailure(e);
        }
    }
}
