package dev.mver.core.ops;

import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.git.FileEdits;
import dev.mver.core.git.WorkTreeTransaction;
import dev.mver.core.io.SafeTree;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Text;
import dev.mver.core.workspace.GitFileLines;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** The shipped template {@code resource}; exit 5 when {@code target} exists with other content. */
    private static byte[] template(Path target, String resource) {
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
        return bytes;
    }

    static final String CONFIG = "{\n  \"schema\": \"" + Workspace.CONFIG_SCHEMA + "\"\n}\n";
    static final String IGNORE = "# mver's local object cache: never committed\n/cache/\n";

    public Result init(Path dir, String ci) {
        if (ci != null && !CI.containsKey(ci)) {
            throw MverException.usage("unknown CI '%s' (expected github or gitlab)", Text.printable(ci, 20));
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
        try (Repository repo = Workspace.openRepository(start)) {
            Path root = repo.getWorkTree().toPath().toAbsolutePath().normalize();
            Path config = root.resolve(Workspace.CONFIG_FILE);
            Path ignore = root.resolve(Workspace.MVER_DIR).resolve(".gitignore");
            boolean created = !Files.exists(config);
            FileEdits edits = new FileEdits()
                    .whole(RepoPath.of(Workspace.CONFIG_FILE), created ? CONFIG.getBytes(StandardCharsets.UTF_8)
                            : Files.readAllBytes(config))
                    .whole(RepoPath.of(Workspace.MVER_DIR + "/.gitignore"), Files.exists(ignore)
                            ? Files.readAllBytes(ignore) : IGNORE.getBytes(StandardCharsets.UTF_8))
                    .ensureLines(GitFileLines.ATTRIBUTES, GitFileLines.ATTRIBUTE_LINES);
            if (!created) {
                WorkspaceConfig.parse(Files.readAllBytes(config)); // a broken config fails here, not later
            }
            String template = null;
            if (ci != null) {
                template = CI.get(ci)[0];
                edits.whole(RepoPath.of(template), template(root.resolve(template), CI.get(ci)[1]));
            }
            try (WorkTreeTransaction tx = WorkTreeTransaction.begin(repo, new SafeTree(root))) {
                tx.apply(edits, List.of(), "init: files written, index not updated", true);
            }
            return new Result(root, gitInitialised, created, template);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot set up " + start + ": " + e.getMessage(), e);
        }
    }
}
