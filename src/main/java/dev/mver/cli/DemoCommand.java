package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.io.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", description = "Run the main job end to end in a temporary repository: register, retrain, "
        + "diff, delete the local files, rebuild a version from its tag and verify it.")
final class DemoCommand extends BaseCommand {
    @Option(names = "--keep", description = "Keep the temporary repository and print where it is.")
    boolean keep;

    @Override
    public Integer call() {
        Path dir;
        try {
            dir = Files.createTempDirectory("mver-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            Mver.demo(dir, root.ctx().env(), root.ctx().clock(), line -> {
                out().println(line);
                out().flush();
            });
        } finally {
            if (keep) {
                out().println("kept: " + dir);
            } else {
                try {
                    FileTrees.delete(dir);
                } catch (IOException e) {
                    err().println("mver: warning: could not remove " + dir + ": " + e.getMessage());
                }
            }
            out().flush();
        }
        return 0;
    }
}
