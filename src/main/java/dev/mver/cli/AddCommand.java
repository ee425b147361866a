package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.workspace.ArtifactService;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add", description = "Store artifacts (files or directories) in the cache and stage pointers to them.")
final class AddCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Artifact files or directories.")
    List<String> paths;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--force", description = "Add even what the policy rejects (an informal name such as "
            + "model_final.pkl).")
    boolean force;

    @Override
    public Integer call() {
        try (Mver mver = mver()) {
            List<ArtifactService.Added> added = mver.add(paths, force);
            if (json) {
                return json(added);
            }
            Format.Table t = new Format.Table();
            for (ArtifactService.Added a : added) {
                t.row(a.pointerChanged() ? "added" : "unchanged", a.artifact().path().value(), a.artifact().type().id(),
                        Format.bytes(a.artifact().size()), a.artifact().sha256().shortHex());
            }
            t.print(out());
            return 0;
        }
    }
}
