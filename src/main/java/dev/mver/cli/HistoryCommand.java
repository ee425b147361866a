package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.EventLog;
import dev.mver.core.value.ModelName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", description = "Every registration, promotion, rollback, demotion and deprecation of a "
        + "model, in event order, with who, when and why.")
final class HistoryCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<EventLog.Event> events = mver.history(ModelName.of(name));
            if (json) {
                return json(events);
            }
            Format.Table t = new Format.Table();
            for (EventLog.Event e : events) {
                t.row(e.number() == null ? "-" : "#" + e.number(), e.event().id() + Format.origin(e.origin()),
                        e.version() == null ? "-" : "v" + e.version(), e.stage() == null ? "" : e.stage().value(),
                        e.at() == null ? "-" : e.at(), e.by(),
                        e.reason() == null ? "" : e.reason().lines().findFirst().orElse(""));
            }
            t.print(out());
            for (String tag : EventLog.outOfOrder(events)) {
                out().println("note: " + tag + " is dated before an earlier event (its writer's clock was behind); "
                        + "events are ordered by number");
            }
            out().flush();
            return 0;
        }
    }
}
