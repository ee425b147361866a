package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.ModelName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log", description = "List a model's versions, newest first, with date, tagger and reason.")
final class LogCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<ModelQueries.LogEntry> log = mver.log(ModelName.of(name));
            if (json) {
                return json(log);
            }
            Format.Table t = new Format.Table();
            for (ModelQueries.LogEntry e : log) {
                String reason = e.reason() == null ? "" : e.reason().lines().findFirst().orElse("");
                t.row("v" + e.version() + Format.origin(e.origin()), e.date() == null ? "-" : e.date(),
                        e.tagger() == null ? "-" : e.tagger(), reason);
            }
            t.print(out());
            return 0;
        }
    }
}
