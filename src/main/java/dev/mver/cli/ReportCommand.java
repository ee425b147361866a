package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.value.MverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", description = "Write a static HTML report of the registry: every model's versions, a "
        + "chart per metric, the stage timeline, lineage and the audit trail; self-contained, for CI to publish.")
final class ReportCommand extends BaseCommand {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write index.html "
            + "and models/NAME.html into (made when missing).")
    Path out;

    @Override
    public Integer call() {
        Path dir = root.workDir().resolve(out).toAbsolutePath().normalize();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw MverException.usage("--out %s is a file; give a folder", out);
        }
        try (Mver mver = mver()) {
            if (dir.startsWith(mver.workspace().root().resolve(".git"))) {
                throw MverException.usage("--out %s is inside .git; give another folder", out);
            }
            List<String> pages = mver.report(dir);
            out().printf("wrote %d page%s to %s (open %s)%n", pages.size(), pages.size() == 1 ? "" : "s", out,
                    dir.resolve("index.html"));
            out().flush();
            return 0;
        }
    }
}
