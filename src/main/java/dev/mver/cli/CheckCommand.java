package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.policy.PolicyCheck;
import dev.mver.core.value.ExitCode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "check", description = "Check the policy: model files in git, model changes without a new "
        + "version, too-small bumps, informal names, missing metadata fields, versions going back. Exit 3 on a "
        + "violation.")
final class CheckCommand extends BaseCommand {
    @Option(names = "--staged", description = "Check only what is staged for the next commit (the pre-commit hook).")
    boolean staged;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            PolicyCheck.Report r = mver.check(staged);
            if (json) {
                json(r);
            } else {
                r.warnings().forEach(w -> err().println("mver: warning: " + w));
                for (PolicyCheck.Violation v : r.violations()) {
                    err().println("mver: " + v.path() + ": " + v.message() + " [" + v.rule() + "]");
                    err().println("      fix: " + v.fix());
                }
            }
            if (!r.ok()) {
                err().println("mver: error: " + r.violations().size() + " policy violation"
                        + (r.violations().size() == 1 ? "" : "s") + (staged ? "; the commit is blocked" : ""));
                err().flush();
                return ExitCode.POLICY.code();
            }
            if (!json) {
                out().println("ok: " + r.filesChecked() + " file" + (r.filesChecked() == 1 ? "" : "s") + " checked");
                out().flush();
            }
            return 0;
        }
    }
}
