package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.registry.RefInterpreter;
import dev.mver.core.value.MverException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "check-ref", description = "Interpret a tag as a registry event (registration, promotion, rollback, "
        + "demotion, deprecation); exit 4 when it is not an mver/GTO tag.")
final class CheckRefCommand extends BaseCommand {
    @Parameters(paramLabel = "REF", description = "A tag name or refs/tags/... (e.g. $GITHUB_REF).")
    String ref;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Option(names = "--github-output", description = "Append name=, version=, stage=, event= lines to $GITHUB_OUTPUT.")
    boolean githubOutput;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            RefInterpreter.Interpretation r = mver.interpret(ref);
            if (githubOutput) {
                String file = root.ctx().env().get("GITHUB_OUTPUT");
                if (file == null || file.isEmpty()) {
                    throw MverException.usage("--github-output needs the GITHUB_OUTPUT variable (set by GitHub Actions)");
                }
                // The message may span lines: GitHub's multi-line form, with a delimiter no message line can be.
                String end = "MVER_EOF_" + java.util.UUID.randomUUID();
                String lines = "name=" + r.model() + "\nversion=" + nullToEmpty(r.version()) + "\nstage="
                        + (r.stage() == null ? "" : r.stage().value()) + "\nevent=" + r.event().id() + "\nmessage<<"
                        + end + "\n" + nullToEmpty(r.message()) + "\n" + end + "\n";
                try {
                    Files.writeString(Path.of(file), lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                            StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw MverException.usage("cannot append to GITHUB_OUTPUT %s: %s", file, e.getMessage());
                }
            }
            if (json) {
                return json(r);
            }
            out().println(r.event() + " " + r.model() + (r.version() == null ? "" : " v" + r.version())
                    + (r.stage() == null ? "" : " " + r.stage()) + "  [" + r.tag() + "]"
                    + (r.message() == null || r.message().isEmpty() ? "" : "  " + r.message()));
            out().flush();
            return 0;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
