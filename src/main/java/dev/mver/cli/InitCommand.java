package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.InitService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", description = "Set up mver in a Git work tree (running 'git init' when there is none).")
final class InitCommand extends BaseCommand {
    @Option(names = "--ci", paramLabel = "github|gitlab", description = "Also add the CI release workflow.")
    String ci;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        InitService.Result r = Mver.init(root.workDir(), ci);
        if (json) {
            return json(r);
        }
        if (r.configCreated()) {
            out().println("Initialized mver in " + r.root() + (r.gitInitialised() ? " (new git repository)" : ""));
        } else {
            out().println("mver is already set up in " + r.root());
        }
        if (r.ciTemplate() != null) {
            out().println("added the " + ci + " release workflow: " + r.ciTemplate()
                    + (ci.equals("gitlab") ? " (include it from .gitlab-ci.yml)" : ""));
        }
        return 0;
    }
}
