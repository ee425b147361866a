package dev.mver.core.git;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A shallow clone (CI's default, {@code --depth 1}) holds one commit and the pushed tag: event numbers, previous
 * versions and stage occupants need the whole history. It is deepened from {@code origin} before anything reads
 * the registry; without a remote to deepen from, the answer is "history incomplete", never a verdict on it.
 */
public final class ShallowClone {
    private ShallowClone() {
    }

    public static boolean isShallow(Repository repo) {
        try {
            return !repo.getObjectDatabase().getShallowCommits().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** Fetches full history and every tag from {@code origin} when {@code repo} is shallow; exit 4 without one. */
    public static void deepen(Repository repo, Consumer<String> notice) {
        if (!isShallow(repo)) {
            return;
        }
        if (!repo.getRemoteNames().contains("origin")) {
            throw MverException.notFound("this is a shallow clone and its history is incomplete, with no remote "
                    + "'origin' to deepen it from; clone with full history and tags (actions/checkout: fetch-depth: 0; "
                    + "GitLab: GIT_DEPTH: 0) or run git fetch --unshallow --tags");
        }
        notice.accept("shallow clone detected (the CI default): fetching full history and tags from origin");
        if (!deepenWithGit(repo)) {
            deepenWithJGit(repo);
        }
    }

    /**
     * git's own fetch, when git is installed (where a clone was made, it is): JGit's in-process server, which it
     * uses for an origin on a local path, sends the deepened commits without the trees their old tip implied it had.
     * False when there is no git to run.
     */
    private static boolean deepenWithGit(Repository repo) {
        ProcessBuilder pb = new ProcessBuilder("git", "--git-dir", repo.getDirectory().getAbsolutePath(), "fetch",
                "--quiet", "--unshallow", "--tags", "origin").redirectInput(ProcessBuilder.Redirect.DISCARD.file())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return false;
        }
        try {
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw failed(err.isEmpty() ? "git fetch exited " + p.exitValue() : err, null);
            }
        } catch (IOException e) {
            throw failed(e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroy();
            throw failed("interrupted", e);
        }
        return true;
    }

    private static void deepenWithJGit(Repository repo) {
        try (Git git = new Git(repo)) {
            git.fetch().setRemote("origin").setUnshallow(true)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("refs/tags/*:refs/tags/*"))
                    .call();
        } catch (GitAPIException e) {
            throw failed(e.getMessage(), e);
        }
    }

    private static MverException failed(String why, Exception cause) {
        return new MverException(ExitCode.REMOTE, "this is a shallow clone and deepening it failed ("
                + Text.printable(String.valueOf(why), 150) + "); run git fetch --unshallow --tags, or clone with "
                + "full history (actions/checkout: fetch-depth: 0)", cause);
    }
}
