package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.CheckoutService;
import dev.mver.core.ops.HookInstaller;
import dev.mver.core.value.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "hook", description = "Install or remove mver's git hooks (pre-commit: the policy; pre-push: "
        + "artifact objects uploaded before the refs; post-checkout, post-merge, post-rewrite: artifacts follow "
        + "their pointers).",
        subcommands = {HookCommand.Install.class, HookCommand.Uninstall.class, HookCommand.Restore.class})
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

    @Command(name = "install", description = "Install mver's hooks (respects core.hooksPath; keeps an existing "
            + "hook by chaining it).")
    static final class Install extends HookAction {
        @Override
        public Integer call() {
            try (Mver mver = root().openMver(Mver.Settings.quiet(root().ctx().env(), root().ctx().clock()))) {
                return render(mver.installHooks(selfCommand(root().ctx().env())));
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

    /**
     * What the hooks run after git moved pointers (checkout, merge, rebase): brings artifacts in step where nothing
     * is lost and reports the rest. Always exits 0: a hook's trouble must never fail the git command that ran it.
     */
    @Command(name = "restore", description = "Bring every artifact in step with its pointer, as the post-checkout, "
            + "post-merge and post-rewrite hooks do: bytes not in the cache are never overwritten; missing objects "
            + "are fetched from the default remote unless .mver/config.json says \"auto_fetch\": false. Always "
            + "exits 0, reporting what it could not do.")
    static final class Restore extends HookAction {
        @Override
        public Integer call() {
            Context ctx = root().ctx();
            CheckoutService.Followed f;
            try (Mver mver = root().openMver(root().settings())) {
                f = mver.followPointers();
            } catch (RuntimeException e) {
                report(ctx, "could not bring the artifacts in step with their pointers ("
                        + dev.mver.core.value.Text.printable(String.valueOf(e.getMessage()), 300) + "); run: mver checkout");
                return 0;
            }
            if (json) {
                ctx.out().print(Json.canonical(f));
                ctx.out().flush();
                return 0;
            }
            if (!f.restored().isEmpty()) {
                report(ctx, "restored " + names(f.restored()) + " to the version" + (f.restored().size() == 1
                        ? " its pointer names" : "s their pointers name"));
            }
            for (String path : f.unsaved()) {
                report(ctx, "left " + path + " as it is: its bytes are not in the cache (keep them: mver add "
                        + path + "; drop them: mver checkout --force)");
            }
            for (String failure : f.failed()) {
                report(ctx, "could not restore " + failure + "; run: mver checkout");
            }
            if (!f.missing().isEmpty()) {
                report(ctx, names(f.missing()) + (f.missing().size() == 1 ? " is" : " are") + " not in the cache"
                        + (f.problem() == null ? "" : " (" + f.problem() + ")") + "; run: mver checkout");
            }
            return 0;
        }

        private static String names(java.util.List<String> paths) {
            return paths.size() <= 5 ? String.join(", ", paths)
                    : String.join(", ", paths.subList(0, 4)) + " and " + (paths.size() - 4) + " more";
        }

        private static void report(Context ctx, String line) {
            ctx.err().println("mver: " + line);
            ctx.err().flush();
        }
    }

    /** The jar this mver runs from, or null (run from classes, in tests). */
    static Path runningJar() {
        try {
            Path location = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return location.toString().endsWith(".jar") ? location.toAbsolutePath() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * How the hooks should start mver, as a shell command line with every path quoted (a folder with a space in its
     * name), by a path that outlives a build folder ({@code mvn clean}): an installed launcher
     * ({@code PREFIX/bin/mver} beside {@code PREFIX/lib/mver/mver.jar}), else `mver` when one is on the PATH, else
     * this build's launcher or its jar (the hooks say how to fix it when that is gone).
     */
    static String selfCommand(java.util.Map<String, String> env) {
        Path jar = runningJar();
        if (jar != null && jar.getParent() != null && jar.getParent().getFileName() != null
                && jar.getParent().getFileName().toString().equals("mver") && jar.getParent().getParent() != null
                && jar.getParent().getParent().getFileName().toString().equals("lib")) {
            Path installed = jar.getParent().getParent().getParent().resolve("bin/mver");
            if (Files.isExecutable(installed)) {
                return HookInstaller.shellQuote(installed.toString());
            }
        }
        if (dev.mver.core.env.SearchPath.find(env, "mver") != null) {
            return "mver";
        }
        if (jar != null) {
            Path launcher = jar.resolveSibling("mver");
            if (Files.isExecutable(launcher)) {
                return HookInstaller.shellQuote(launcher.toString());
            }
            return HookInstaller.shellQuote(Path.of(System.getProperty("java.home"), "bin", "java").toString())
                    + " -jar " + HookInstaller.shellQuote(jar.toString());
        }
        return "mver";
    }
}
