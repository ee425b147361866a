package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.StageName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stages", description = "Show what is in each stage, now or --at a date, date-time or event tag.")
final class StagesCommand extends BaseCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = "--at", paramLabel = "TIME|TAG",
            description = "ISO-8601 date (end of that day, UTC) or date-time, or an event tag such as churn#production#7.")
    String at;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<ModelQueries.StagesView> views = mver.stages(name == null ? null : ModelName.of(name), at);
            List<StageName> configured = mver.workspace().config().allowedStages();
            if (json) {
                return json(views);
            }
            Format.Table t = new Format.Table();
            List<String> header = new java.util.ArrayList<>(List.of("MODEL"));
            configured.forEach(s -> header.add(s.value().toUpperCase(java.util.Locale.ROOT)));
            t.row(header.toArray(String[]::new));
            for (ModelQueries.StagesView v : views) {
                List<String> row = new java.util.ArrayList<>(List.of(v.model().value() + (v.deprecated() ? " (deprecated)" : "")));
                configured.forEach(s -> {
                    String version = v.stages().get(s);
                    row.add(version == null ? "-" : "v" + version
                            + (v.deprecatedVersions().contains(version) ? " (deprecated)" : ""));
                });
                t.row(row.toArray(String[]::new));
            }
            t.print(out());
            return 0;
        }
    }
}
