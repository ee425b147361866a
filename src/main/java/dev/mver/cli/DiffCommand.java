package dev.mver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.Mver;
import dev.mver.core.value.MetadataDiff;
import dev.mver.core.value.VersionSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "diff", description = "Show what changed between two versions, or (one version) between it and the "
        + "work tree: hyperparameters, metrics, features, dataset, libraries, artifacts.")
final class DiffCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME@vA")
    String from;

    @Parameters(index = "1", paramLabel = "NAME@vB", arity = "0..1")
    String to;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            Mver.Diff diff = to == null ? mver.diffWorkTree(VersionSpec.parse(from))
                    : mver.diff(VersionSpec.parse(from), VersionSpec.parse(to));
            List<MetadataDiff.Change> changes = diff.changes();
            if (json) {
                return json(diff);
            }
            if (changes.isEmpty()) {
                out().println("no differences between " + diff.from() + " and " + diff.to());
                out().flush();
                return 0;
            }
            Format.Table t = new Format.Table().row("FIELD", "KEY", diff.from(), diff.to());
            for (MetadataDiff.Change c : changes) {
                t.row(c.field(), c.key() == null ? "" : c.key(), show(c.from(), c.field()), show(c.to(), c.field()));
            }
            t.print(out());
            return 0;
        }
    }

    private static String show(JsonNode v, String field) {
        if (v == null) {
            return "-";
        }
        String s = v.isTextual() ? v.asText() : v.toString();
        return field.equals("artifacts") && s.length() == 64 ? s.substring(0, 12) : s;
    }
}
