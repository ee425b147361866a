package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.FullVerify;
import dev.mver.core.ops.VerifyService;
import dev.mver.core.value.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check every registry tag against the commit it points to; exit 6 on "
        + "tampering, lightweight or malformed tags.")
final class VerifyCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--all", description = "Also re-hash every cache object (quarantining bad ones) and resolve "
            + "every tracked pointer.")
    boolean all;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            if (all) {
                return verifyAll(mver);
            }
            VerifyService.Report r = mver.verify();
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

    private int verifyAll(Mver mver) {
        FullVerify.Report r = mver.verifyAll();
        if (json) {
            json(r);
        } else {
            Format.Table t = new Format.Table();
            r.registry().problems().forEach(p -> t.row("tag", p.tag(), p.problem()));
            r.corruptObjects().forEach(o -> t.row("object", o, ""));
            r.unresolvedPointers().forEach(p -> t.row("pointer", p, ""));
            t.print(out());
            out().printf("%s: %d tags (%d verified, %d from other tools), %d objects re-hashed, %d pointers resolved; "
                    + "%d problem%s%n", r.ok() ? "ok" : "FAILED", r.registry().tags(), r.registry().verified(),
                    r.registry().foreign(), r.objectsChecked(), r.pointersChecked(), problems(r),
                    problems(r) == 1 ? "" : "s");
            out().flush();
        }
        if (!r.ok()) {
            err().println("mver: error: verification found " + problems(r) + " problem" + (problems(r) == 1 ? "" : "s"));
            err().flush();
            return ExitCode.INTEGRITY.code();
        }
        return 0;
    }

    private static int problems(FullVerify.Report r) {
        return r.registry().problems().size() + r.corruptObjects().size() + r.unresolvedPointers().size();
    }
}
