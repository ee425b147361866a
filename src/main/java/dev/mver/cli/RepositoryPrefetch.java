package dev.mver.cli;

import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.workspace.Workspace;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jgit.lib.Repository;

/**
 * Opens the repository a command will work in on a second core while picocli builds its model on the first: the
 * two are most of a short command's start-up, and they do not depend on each other. The folder is guessed from
 * the arguments ({@code -C DIR}); a command whose folder turns out different simply opens its own.
 */
final class RepositoryPrefetch {
    static final RepositoryPrefetch NONE = new RepositoryPrefetch(null, null, new CountDownLatch(0));

    /** Commands that do not open an existing work tree. */
    private static final java.util.Set<String> NO_WORKSPACE = java.util.Set.of("init", "demo", "help");

    private final Path dir;
    private final CompletableFuture<Repository> repository;
    private final CountDownLatch gitSetUp;
    private boolean taken;

    private RepositoryPrefetch(Path dir, CompletableFuture<Repository> repository, CountDownLatch gitSetUp) {
        this.dir = dir;
        this.repository = repository;
        this.gitSetUp = gitSetUp;
    }

    /** Starts setting JGit up (and, when the folder is clear from {@code args}, opening its repository). */
    static RepositoryPrefetch start(String[] args, Path cwd) {
        Path dir = guessDir(args, cwd);
        CountDownLatch setUp = new CountDownLatch(1);
        CompletableFuture<Repository> repo = new CompletableFuture<>();
        RepositoryPrefetch prefetch = new RepositoryPrefetch(dir, repo, setUp);
        Thread thread = new Thread(() -> {
            try {
                try {
                    GitSetup.install();
                } finally {
                    setUp.countDown();
                }
                if (dir != null) {
                    repo.complete(Workspace.openRepository(dir));
                }
            } catch (Throwable t) {
                repo.completeExceptionally(t); // whatever failed, the command's take() must not wait forever
            }
        }, "mver-open-repository");
        thread.setDaemon(true);
        thread.start();
        if (dir != null) {
            // Every workspace command reads its configuration: Jackson's set-up for it (a tenth of a short
            // command) runs beside picocli's and JGit's.
            Thread config = new Thread(WorkspaceConfig::prepareReader, "mver-prepare-config");
            config.setDaemon(true);
            config.start();
        }
        if (dir != null) {
            // JGit loads its message bundle while opening any repository (its clean-up service names itself with
            // it): a third of the open, done here on the first core, before picocli, so the second one need not.
            org.eclipse.jgit.internal.JGitText.get();
        }
        return prefetch;
    }

    /** JGit must be set up before the command uses it on this thread. */
    void awaitGitSetup() {
        try {
            gitSetUp.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The repository opened for {@code folder}, once; null when none was (another folder, or already taken). A
     * failure to open it is thrown here, on the command's thread, as opening it there would have.
     */
    synchronized Repository take(Path folder) {
        if (dir == null || taken || !dir.equals(folder)) {
            return null;
        }
        taken = true;
        try {
            return repository.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** The folder of a command that opens a work tree, when its one {@code -C} (if any) is written plainly. */
    static Path guessDir(String[] args, Path cwd) {
        String name = MverCommand.subcommandName(args);
        if (name == null || NO_WORKSPACE.contains(name)) {
            return null;
        }
        String c = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) {
                break;
            }
            if (a.equals("-C")) {
                if (c != null || i + 1 >= args.length) {
                    return null;
                }
                c = args[++i];
            } else if (a.startsWith("-C") || a.equals("-h") || a.equals("--help")) {
                return null;
            }
        }
        try {
            return c == null ? cwd : cwd.resolve(c).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }
}
