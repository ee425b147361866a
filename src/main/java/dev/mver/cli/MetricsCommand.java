package dev.mver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.ModelName;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mver metrics NAME}: one row per version, one column per metric, to compare versions at a glance. */
@Command(name = "metrics", description = "A model's metrics across its versions, newest first: one row per version, "
        + "one column per metric.")
final class MetricsCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @ArgGroup(exclusive = true)
    Output output = new Output();

    static final class Output {
        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Option(names = "--csv", description = "Print as CSV (RFC 4180): version, date, then one column per metric.")
        boolean csv;
    }

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            ModelQueries.MetricsTable table = mver.metrics(ModelName.of(name));
            if (output.json) {
                return json(table);
            }
            if (output.csv) {
                StringBuilder sb = new StringBuilder();
                List<String> header = new ArrayList<>(List.of("version", "date"));
                header.addAll(table.columns());
                sb.append(csvLine(header));
                for (ModelQueries.MetricsRow r : table.versions()) {
                    List<String> cells = new ArrayList<>(List.of(r.version(), r.date() == null ? "" : r.date()));
                    table.columns().forEach(c -> cells.add(text(r.metrics().get(c), "")));
                    sb.append(csvLine(cells));
                }
                out().print(sb);
                out().flush();
                return 0;
            }
            Format.Table t = new Format.Table();
            List<String> header = new ArrayList<>(List.of("VERSION", "DATE"));
            header.addAll(table.columns());
            t.row(header.toArray(String[]::new));
            for (ModelQueries.MetricsRow r : table.versions()) {
                List<String> cells = new ArrayList<>(List.of("v" + r.version(), r.date() == null ? "-"
                        : r.date().substring(0, Math.min(10, r.date().length()))));
                table.columns().forEach(c -> cells.add(text(r.metrics().get(c), "-")));
                t.row(cells.toArray(String[]::new));
            }
            t.print(out());
            return 0;
        }
    }

    private static String text(JsonNode value, String missing) {
        return value == null || value.isNull() ? missing : value.isValueNode() ? value.asText() : value.toString();
    }

    /** One CSV record: fields with a comma, quote or line break quoted, quotes doubled. */
    static String csvLine(List<String> fields) {
        List<String> out = new ArrayList<>();
        for (String f : fields) {
            out.add(f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r")
                    ? "\"" + f.replace("\"", "\"\"") + "\"" : f);
        }
        return String.join(",", out) + "\r\n";
    }
}
