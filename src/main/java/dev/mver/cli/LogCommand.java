package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.ModelName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "log", description = "List a model's versions (every model's without NAME), newest first, with "
        + "date, tagger and reason.")
final class LogCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Option(names = "--reverse", description = "Oldest first.")
    boolean reverse;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @picocli.CommandLine.Mixin
    QueryOptions query;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<ModelQueries.LogEntry> log = mver.log(name == null ? null : ModelName.of(name), reverse,
                    query.query());
            if (json) {
                return json(log);
            }
            Format.Table t = new Format.Table();
            for (ModelQueries.LogEntry e : log) {
                String reason = e.reason() == null ? "" : e.reason().lines().findFirst().orElse("");
                List<String> cells = new java.util.ArrayList<>();
                if (name == null) {
                    cells.add(e.model().value());
                }
                String marks = (e.stages().isEmpty() ? "" : " [" + String.join(", ", e.stages()) + "]")
                        + (e.deprecated() ? " (deprecated)" : "");
                cells.addAll(List.of("v" + e.version() + Format.origin(e.origin()) + marks,
                        e.date() == null ? "-" : e.date(), e.tagger() == null ? "-" : e.tagger(), reason));
                t.row(cells.toArray(String[]::new));
            }
            t.print(out());
            return 0;
        }
    }
}
