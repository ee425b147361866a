package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.StatusService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show artifacts that differ from their pointers, objects missing from the "
        + "cache, and models changed since their latest version.")
final class StatusCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            StatusService.Report r = mver.status();
            if (json) {
                return json(r);
            }
            Format.Table t = new Format.Table();
            java.util.Set<String> stale = new java.util.HashSet<>();
            for (StatusService.ArtifactStatus a : r.artifacts()) {
                if (a.state().equals("stale")) {
                    stale.add(a.path()); // said once, here: the model's line would repeat it
                }
                if (!a.state().equals("ok")) {
                    t.row(a.state().replace('_', ' '), a.path(), a.problem() == null ? "" : a.problem());
                } else if (!a.cached()) {
                    t.row("not cached", a.path(), a.problem());
                }
            }
            for (StatusService.ModelStatus m : r.models()) {
                if (m.problem() != null) {
                    t.row("unreadable", m.model() + "@v" + m.latest(), m.problem());
                }
                m.older().forEach((path, holds) -> {
                    if (!stale.contains(path)) {
                        t.row("older", path, "holds " + holds + ", not the latest " + m.model() + "@v" + m.latest()
                                + " (run: mver checkout " + m.model() + "@v" + m.latest() + " to return to it)");
                    }
                });
                m.untagged().forEach((path, holds) -> t.row("untagged", path, "holds " + holds + " from this "
                        + "branch's record, but this clone has no tag " + holds + " (run: git fetch --tags)"));
                for (String path : m.changed()) {
                    t.row("changed", path, "since " + m.model() + "@v" + m.latest() + " (register a new version)");
                }
            }
            if (t.isEmpty()) {
                // Concatenated, not printf: java.util.Formatter loads the locale machinery, a tenth of status.
                out().println("clean: " + r.artifacts().size() + " artifact" + (r.artifacts().size() == 1 ? "" : "s")
                        + " and " + r.models().size() + " model" + (r.models().size() == 1 ? "" : "s")
                        + ", all up to date");
                out().flush();
            } else {
                t.print(out());
            }
            return 0;
        }
    }
}
