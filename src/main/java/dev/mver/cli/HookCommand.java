package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.HookInstaller;
import dev.mver.core.value.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "hook", description = "Install or remove mver's git hooks (pre-commit: the policy; pre-push: "
        + "artifact objects uploaded before the refs).",
        subcommands = {HookCommand.Install.class, HookCommand.Uninstall.class})
final class HookCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: install or uninstall");
    }

    abstract static class HookAction implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        HookCommand parent;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        MverCommand root() {
            return (MverCommand) parent.spec.parent().userObject();
        }

        int render(java.util.List<HookInstaller.Result> results) {
            Context ctx = root().ctx();
            if (json) {
                ctx.out().print(Json.canonical(results));
                ctx.out().flush();
                return 0;
            }
            for (HookInstaller.Result r : results) {
                String line = switch (r.action()) {
                    case "chained" -> "installed " + r.hook() + "; the hook that was there is kept as " + r.chained()
                            + " and runs first";
                    case "restored" -> "removed mver's hook; restored the previous hook at " + r.hook();
                    default -> r.action() + " " + r.hook();
                };
                ctx.out().println(line);
            }
            ctx.out().flush();
            return 0;
        }
    }

    @Command(name = "install", description = "Install the pre-commit and pre-push hooks (respects core.hooksPath; "
            + "keeps an existing hook by chaining it).")
    static final class Install extends HookAction {
        @Override
        public Integer call() {
            try (Mver mver = root().openMver(Mver.Settings.quiet(root().ctx().env(), root().ctx().clock()))) {
                return render(mver.installHooks(selfCommand()));
            }
        }
    }

    @Command(name = "uninstall", description = "Remove mver's hooks and restore the ones they chained.")
    static final class Uninstall extends HookAction {
        @Override
        public Integer call() {
            try (Mver mver = root().openMver(Mver.Settings.quiet(root().ctx().env(), root().ctx().clock()))) {
                return render(mver.uninstallHooks());
            }
        }
    }

    /** How the hook should start this same mver: its launcher, or java -jar on its jar, or `mver` on the PATH. */
    static String selfCommand() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (location.toString().endsWith(".jar")) {
                Path launcher = location.resolveSibling("mver");
                if (Files.isExecutable(launcher)) {
                    return launcher.toAbsolutePath().toString();
                }
                return Path.of(System.getProperty("java.home"), "bin", "java") + " -jar " + location.toAbsolutePath();
            }
        } catch (Exception e) {
            // fall through to the PATH
        }
        return "mver";
    }
}
