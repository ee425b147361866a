package dev.mver.cli;

import dev.mver.core.ops.SelfInstall;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mver install [--prefix DIR]}: this mver into PREFIX/bin, PREFIX/lib/mver and PREFIX/share. */
@Command(name = "install", description = "Install this mver: PREFIX/bin/mver, PREFIX/lib/mver/mver.jar and shell "
        + "completion (default prefix ~/.local). Run it from a build: target/mver install.")
final class InstallCommand extends BaseCommand {
    @Option(names = "--prefix", paramLabel = "DIR", description = "Where to install (default ~/.local).")
    Path prefix;

    @Option(names = "--json", description = "Print what was installed as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> completions = new LinkedHashMap<>();
        String script = CompletionCommand.script("bash", MverCommand.everyCommand(root.ctx()));
        completions.put("bash-completion/completions/mver", script);
        completions.put("zsh/mver-completion.zsh", script);
        SelfInstall.Result r = new SelfInstall(root.ctx().env()).install(
                prefix == null ? null : root.workDir().resolve(prefix), HookCommand.runningJar(), completions);
        if (json) {
            return json(r);
        }
        out().println("installed " + r.launcher() + " (jar " + r.jar() + (r.classDataArchive() ? ", class-data "
                + "archive" : "") + ")");
        out().println("completion: bash loads " + r.completions().get(0) + " itself; zsh: source "
                + r.completions().get(1) + " in ~/.zshrc");
        if (!r.onPath()) {
            out().println("add " + Path.of(r.launcher()).getParent() + " to your PATH, e.g. in ~/.profile: export "
                    + "PATH=\"" + Path.of(r.launcher()).getParent() + ":$PATH\"");
        }
        out().flush();
        return 0;
    }
}
