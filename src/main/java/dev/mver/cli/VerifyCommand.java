package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.FullVerify;
import dev.mver.core.ops.RemoteVerify;
import dev.mver.core.ops.VerifyService;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", description = "Check every registry tag against the commit it points to, and list the "
        + "versions no copy this clone can see (its cache, the default remote) rebuilds; exit 6 on any problem.")
final class VerifyCommand extends BaseCommand {
    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Option(names = "--all", description = "Also re-hash every cache object (quarantining bad ones) and resolve "
            + "every tracked pointer.")
    boolean all;

    @Option(names = "--remote", arity = "0..1", fallbackValue = "", paramLabel = "NAME", description = "Check that "
            + "every object the registry needs is on this artifact remote (default: the default remote) at its size.")
    String remote;

    @Option(names = "--deep", description = "With --remote: also download every object and re-hash it.")
    boolean deep;

    @Option(names = "--jobs", paramLabel = "N", description = "With --remote --deep: objects read at once (default: "
            + "4 per core, 8 to 16).")
    int jobs;

    @Override
    public Integer call() {
        if (remote == null && deep) {
            throw MverException.usage("--deep re-hashes a remote's copies; use it with --remote");
        }
        if (remote != null && all) {
            throw MverException.usage("--all checks this clone and --remote a remote; run them one after the other");
        }
        try (Mver mver = mver()) {
            if (remote != null) {
                return verifyRemote(mver.verifyRemote(remote.isEmpty() ? null : remote, deep, jobs));
            }
            return all ? verifyAll(mver.verifyAll()) : verify(mver.verify());
        }
    }

    private int verify(VerifyService.Report r) {
        if (json) {
            json(r);
        } else {
            Format.Table t = new Format.Table();
            registryRows(r, t);
            t.print(out());
            out().printf("%s: %d tags, %d verified, %d from other tools; %s%n", verdict(r.ok()), r.tags(), r.verified(),
                    r.foreign(), problems(problems(r)));
            out().flush();
        }
        return exit(r.ok(), problems(r));
    }

    private int verifyAll(FullVerify.Report r) {
        int problems = problems(r.registry()) + r.corruptObjects().size() + r.unresolvedPointers().size();
        if (json) {
            json(r);
        } else {
            Format.Table t = new Format.Table();
            registryRows(r.registry(), t);
            r.corruptObjects().forEach(o -> t.row("object", o, ""));
            r.unresolvedPointers().forEach(p -> t.row("pointer", p, ""));
            t.print(out());
            out().printf("%s: %d tags (%d verified, %d from other tools), %d objects re-hashed, %d pointers resolved; "
                    + "%s%n", verdict(r.ok()), r.registry().tags(), r.registry().verified(), r.registry().foreign(),
                    r.objectsChecked(), r.pointersChecked(), problems(problems));
            out().flush();
        }
        return exit(r.ok(), problems);
    }

    private int verifyRemote(RemoteVerify.Report r) {
        int problems = problems(r.registry()) + r.problems().size();
        if (json) {
            json(r);
        } else {
            Format.Table t = new Format.Table();
            registryRows(r.registry(), t);
            for (RemoteVerify.Finding f : r.problems()) {
                t.row("remote", f.object().substring(0, 12), f.problem() + ": " + f.where() + " (needed by "
                        + f.neededBy().get(0) + (f.neededBy().size() > 1 ? " and " + (f.neededBy().size() - 1)
                        + " more" : "") + "); fix: " + f.fix());
            }
            t.print(out());
            out().printf("%s: %d tags, %d objects %s on %s; %s%n", verdict(r.ok()), r.registry().tags(), r.objects(),
                    r.deep() ? "re-hashed" : "sized", r.remote(), problems(problems));
            out().flush();
        }
        return exit(r.ok(), problems);
    }

    private static void registryRows(VerifyService.Report r, Format.Table t) {
        r.problems().forEach(p -> t.row("tag", p.tag(), p.problem()));
        r.warnings().forEach(w -> t.row("clock", w.substring(0, w.indexOf(' ')), w.substring(w.indexOf(' ') + 1)));
        if (r.unrecoverable() != null) {
            r.unrecoverable().forEach(u -> t.row("unrecoverable", u.substring(0, u.indexOf(": ")),
                    u.substring(u.indexOf(": ") + 2)));
        }
    }

    private static int problems(VerifyService.Report r) {
        return r.problems().size() + (r.unrecoverable() == null ? 0 : r.unrecoverable().size());
    }

    private static String verdict(boolean ok) {
        return ok ? "ok" : "FAILED";
    }

    private static String problems(int n) {
        return n + " problem" + (n == 1 ? "" : "s");
    }

    private int exit(boolean ok, int problems) {
        if (ok) {
            return 0;
        }
        err().println("mver: error: verification found " + problems(problems));
        err().flush();
        return ExitCode.INTEGRITY.code();
    }
}
