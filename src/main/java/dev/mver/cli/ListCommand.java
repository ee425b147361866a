package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List models with their latest version and number of versions.")
final class ListCommand extends BaseCommand {
    @Option(names = "--include-prerelease", description = "A bare model name means its latest version even when "
            + "that is a pre-release (default: the latest release; a pre-release only when there is nothing else).")
    boolean includePreRelease;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @picocli.CommandLine.Mixin
    QueryOptions query;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<ModelQueries.ModelSummary> models = mver.list(includePreRelease, query.query());
            if (json) {
                return json(models);
            }
            if (models.isEmpty()) {
                err().println(query.query().isEmpty() ? "no models registered yet (mver register NAME ...)"
                        : "no model matches");
                return 0;
            }
            Format.Table t = new Format.Table().row("MODEL", "LATEST", "VERSIONS", "STAGES");
            models.forEach(m -> t.row(m.model().value() + (m.deprecated() ? " (deprecated)" : ""),
                    (m.latest() == null ? "- (all deprecated)" : "v" + m.latest())
                            + (m.problem() == null ? "" : Format.origin(dev.mver.core.value.Origin.TAMPERED)),
                    String.valueOf(m.versions()), m.stages().isEmpty() ? "-" : String.join(" ", m.stages().entrySet()
                            .stream().map(e -> e.getKey() + "=v" + e.getValue()).toList())));
            t.print(out());
            return 0;
        }
    }
}
