package dev.mver.cli;

import dev.mver.core.ExitCode;
import dev.mver.core.registry.VerifyService;
import dev.mver.core.workspace.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check every registry tag against the commit it points to; exit 6 on "
        + "tampering, lightweight or malformed tags.")
final class VerifyCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Workspace ws = openWorkspace()) {
            VerifyService.Report r = new VerifyService(ws.repository()).verify();
            if (json) {
                json(r);
            } else {
                Format.Table t = new Format.Table();
                r.problems().forEach(p -> t.row("problem", p.tag(), p.problem()));
                t.print(out());
                out().printf("%s: %d tags, %d verified, %d from other tools, %d problem%s%n",
                        r.ok() ? "ok" : "FAILED", r.tags(), r.verified(), r.foreign(), r.problems().size(),
                        r.problems().size() == 1 ? "" : "s");
                out().flush();
            }
            if (!r.ok()) {
                err().println("mver: error: " + r.problems().size() + " registry tag"
                        + (r.problems().size() == 1 ? " fails" : "s fail") + " verification");
                err().flush();
                return ExitCode.INTEGRITY.code();
            }
            return 0;
        }
    }
}
