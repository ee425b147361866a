package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.BumpAdvisor;
import dev.mver.core.value.ModelName;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bump", description = "Suggest the version bump the working changes require, with the reason.")
final class BumpCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--suggest", required = true, description = "Print the suggested bump (the only mode).")
    boolean suggest;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            BumpAdvisor.Suggestion s = mver.suggestBump(ModelName.of(name));
            if (json) {
                return json(s);
            }
            if (s.bump() == null) {
                out().println("none: " + String.join("; ", s.reasons()));
            } else {
                out().println(s.bump() + ": v" + s.latest() + " -> v" + s.next() + " (" + String.join("; ", s.reasons()) + ")");
            }
            out().flush();
            return 0;
        }
    }
}
