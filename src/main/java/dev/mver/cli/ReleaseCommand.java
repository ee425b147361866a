package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.ReleaseService;
import dev.mver.core.value.MverException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "release", description = "Build the CI release bundle of a tag: artifacts, metadata, "
        + "requirements.txt, manifest.json, SHA256SUMS and a reproducible NAME-vX.Y.Z.tar.gz, every check passed first.")
final class ReleaseCommand extends BaseCommand {
    @Option(names = "--tag", paramLabel = "TAG",
            description = "NAME@vX.Y.Z or NAME#STAGE#N (default: $GITHUB_REF_NAME or $CI_COMMIT_TAG).")
    String tag;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty folder for the bundle.")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() {
        String ref = tag != null ? tag : firstSet("GITHUB_REF_NAME", "CI_COMMIT_TAG");
        if (ref == null) {
            throw MverException.usage("no tag to release: pass --tag (or run in CI, where GITHUB_REF_NAME or "
                    + "CI_COMMIT_TAG names it)");
        }
        try (Mver mver = mver()) {
            ReleaseService.Result r = mver.release(ref, root.workDir().resolve(out));
            if (json) {
                return json(r);
            }
            out().println("released " + r.manifest().tag() + " (" + r.trigger().event() + ") into " + r.out());
            out().println("  " + r.archive() + "  sha256:" + r.archiveSha256());
            out().flush();
            return 0;
        }
    }

    private String firstSet(String... names) {
        for (String n : names) {
            String v = root.ctx().env().get(n);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
