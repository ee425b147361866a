package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.CheckoutService;
import dev.mver.core.value.MverException;
import dev.mver.core.value.VersionSpec;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "checkout", description = "Rebuild a version from its tag (into --to DIR, or into the work tree), "
        + "every hash verified. Without NAME, restore all artifacts of the work tree from their pointers.")
final class CheckoutCommand extends BaseCommand {
    @Parameters(arity = "0..1", paramLabel = "NAME[@vX.Y.Z]")
    String spec;

    @Option(names = "--to", paramLabel = "DIR", description = "Write the release into DIR instead of the work tree.")
    Path to;

    @Option(names = "--force", description = "Overwrite work-tree artifacts whose changes are not in the cache.")
    boolean force;

    @Option(names = "--include-prerelease", description = "A bare model name means its latest version even when "
            + "that is a pre-release (default: the latest release; a pre-release only when there is nothing else).")
    boolean includePreRelease;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (spec == null && to != null) {
            throw MverException.usage("--to needs a version: mver checkout NAME@vX.Y.Z --to DIR");
        }
        try (Mver mver = mver()) {
            CheckoutService.Result r = spec == null ? mver.checkoutPointers(force)
                    : mver.checkout(VersionSpec.parse(spec).withPreReleases(includePreRelease), to == null ? null : root.workDir().resolve(to), force);
            if (json) {
                return json(r);
            }
            out().printf("%s%s: %d file%s written, %d unchanged, %s verified%n",
                    r.tag() == null ? "Restored artifacts in " : "Checked out " + r.tag() + " into ",
                    r.target(), r.filesWritten(), r.filesWritten() == 1 ? "" : "s", r.filesUnchanged(),
                    Format.bytes(r.bytesVerified()));
            out().flush();
            return 0;
        }
    }
}
