package dev.mver.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.Mver;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.VersionSpec;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", description = "Show one version's metadata (the latest when no version is given).")
final class ShowCommand extends BaseCommand {
    @Parameters(paramLabel = "NAME[@vX.Y.Z]")
    String spec;

    @Option(names = "--include-prerelease", description = "A bare model name means its latest version even when "
            + "that is a pre-release (default: the latest release; a pre-release only when there is nothing else).")
    boolean includePreRelease;

    @Option(names = "--json", description = "Print as JSON.")
    boolean json;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            ModelQueries.VersionDetails d = mver.show(VersionSpec.parse(spec).withPreReleases(includePreRelease));
            if (json) {
                return json(d);
            }
            Metadata m = d.metadata();
            Format.Table t = new Format.Table();
            t.row("tag", d.tag() + Format.origin(d.origin()));
            t.row("registered", d.taggedAt() + " by " + d.tagger());
            t.row("commit", d.commit().substring(0, 10));
            t.row("stages", d.stages().isEmpty() ? "-" : String.join(", ", d.stages()));
            if (d.deprecated()) {
                t.row("deprecated", "yes (mver history " + d.tag().substring(0, d.tag().indexOf('@')) + " says why)");
            }
            if (d.message() != null) {
                t.row("message", d.message().lines().findFirst().orElse(""));
            }
            if (m == null) {
                t.row("metadata", "- (its commit holds no mver record of the model)");
                t.print(out());
                return 0;
            }
            t.row("reason", m.reason());
            t.row("parent", m.parentVersion() == null ? "-" : "v" + m.parentVersion());
            t.row("training date", orDash(m.trainingDate()));
            t.row("dataset", orDash(m.datasetSnapshotId()));
            t.row("feature set", orDash(m.featureSetVersion()));
            t.row("architecture", orDash(m.architecture()));
            t.row("features", m.features().isEmpty() ? "-" : String.join(", ", m.features()));
            section(t, "hyperparameters", m.hyperparameters());
            section(t, "metrics", m.metrics());
            t.row("libraries", m.libraryVersions().isEmpty() ? "-" : "");
            m.libraryVersions().forEach((k, v) -> t.row("  " + k, v));
            if (m.environment() != null) {
                t.row("environment", m.environment().os() + " " + m.environment().osVersion() + " "
                        + m.environment().arch());
                m.environment().runtimes().forEach((k, v) -> t.row("  " + k, v));
            }
            t.row("artifacts", "");
            for (ArtifactRef a : m.artifacts()) {
                t.row("  " + a.path(), a.type().id() + "  " + Format.bytes(a.size()) + "  sha256:" + a.sha256().shortHex());
            }
            t.print(out());
            return 0;
        }
    }

    private static void section(Format.Table t, String title, Map<String, JsonNode> values) {
        t.row(title, values.isEmpty() ? "-" : "");
        values.forEach((k, v) -> t.row("  " + k, v.isTextual() ? v.asText() : v.toString()));
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
