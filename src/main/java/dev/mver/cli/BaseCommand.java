package dev.mver.cli;

import dev.mver.core.git.GitIdentity;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.Json;
import dev.mver.core.workspace.Workspace;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every subcommand shares: the context, the workspace, progress and output helpers. */
abstract class BaseCommand implements Callable<Integer> {
    @ParentCommand
    MverCommand root;

    PrintWriter out() {
        return root.ctx().out();
    }

    PrintWriter err() {
        return root.ctx().err();
    }

    Workspace openWorkspace() {
        return root.openWorkspace();
    }

    /** Who and when for the commits and tags a command writes, from the run's environment and clock. */
    GitIdentity identity() {
        return new GitIdentity(root.ctx().env(), root.ctx().clock());
    }

    ProgressListener progress() {
        return root.progressWanted() ? new TerminalProgress(err(), root.ctx().clock()) : ProgressListener.NONE;
    }

    /** Messages from long work (retries, deepened clones) on stderr, one line each. */
    java.util.function.Consumer<String> notice() {
        return line -> {
            err().println("mver: " + line);
            err().flush();
        };
    }

    int json(Object value) {
        out().print(Json.canonical(value));
        out().flush();
        return 0;
    }
}
