package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.value.Json;
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

    /** mver on the work tree the command works in, with this run's environment, clock, progress and notices. */
    Mver mver() {
        return root.openMver(root.settings());
    }

    int json(Object value) {
        Json.writeCanonical(value, out());
        out().flush();
        return 0;
    }
}
