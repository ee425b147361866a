package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.EventLog;
import dev.mver.core.value.ModelName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Every registration, promotion, rollback, demotion and deprecation of a "
        + "model (of every model without NAME), newest first, with who, when and why.")
final class HistoryCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME", arity = "0..1")
    String name;

    @Option(names = "--reverse", description = "Oldest first.")
    boolean reverse;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<EventLog.Event> events = mver.history(name == null ? null : ModelName.of(name), reverse);
            if (json) {
                return json(events);
            }
            Format.Table t = new Format.Table();
            for (EventLog.Event e : events) {
                List<String> cells = new java.util.ArrayList<>();
                if (name == null) {
                    cells.add(e.model().value());
                }
                cells.addAll(java.util.Arrays.asList(e.number() == null ? "-" : "#" + e.number(),
                        e.event().id() + Format.origin(e.origin()), e.version() == null ? "-" : "v" + e.version(),
                        e.stage() == null ? "" : e.stage().value(), e.at() == null ? "-" : e.at(), e.by(),
                        e.reason() == null ? "" : e.reason().lines().findFirst().orElse("")));
                t.row(cells.toArray(String[]::new));
            }
            t.print(out());
            for (String tag : outOfOrder(events)) {
                out().println("note: " + tag + " is dated before an earlier event (its writer's clock was behind); "
                        + "events are ordered by number");
            }
            out().flush();
            return 0;
        }
    }

    /** The events dated before an earlier one of their model, judged in each model's event order. */
    private static List<String> outOfOrder(List<EventLog.Event> events) {
        java.util.Map<ModelName, List<EventLog.Event>> byModel = new java.util.TreeMap<>(
                java.util.Comparator.comparing(ModelName::value));
        for (EventLog.Event e : events) {
            byModel.computeIfAbsent(e.model(), m -> new java.util.ArrayList<>()).add(e);
        }
        List<String> out = new java.util.ArrayList<>();
        byModel.values().forEach(list -> {
            list.sort(java.util.Comparator.comparing(e -> e.number() == null ? 0L : e.number()));
            out.addAll(EventLog.outOfOrder(list));
        });
        return out;
    }
}
