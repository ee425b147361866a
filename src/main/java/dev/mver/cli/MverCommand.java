package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.value.ExitCode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "mver",
        description = "Git-backed model versioning: semantic versions, metadata records and annotated tags for "
                + "ML models, with the bytes in a content-addressed store.",
        versionProvider = VersionProvider.class,
        sortOptions = false,
        exitCodeListHeading = "%nExit codes:%n")
public final class MverCommand implements Runnable {
    /** Every subcommand, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(InitCommand.class, AddCommand.class, StatusCommand.class,
            RegisterCommand.class, ListCommand.class, ShowCommand.class, LogCommand.class, MetricsCommand.class,
            DiffCommand.class,
            CheckoutCommand.class, StageCommands.Promote.class, StageCommands.Rollback.class, StageCommands.Demote.class,
            StageCommands.Deprecate.class, StagesCommand.class, HistoryCommand.class, VerifyCommand.class,
            AuditCommand.class, CheckCommand.class, BumpCommand.class, HookCommand.class, RemoteCommand.class,
            SyncCommands.Push.class, SyncCommands.Fetch.class, SyncCommands.Pull.class, SyncCommands.Gc.class,
            CheckRefCommand.class, ReleaseCommand.class, ReportCommand.class, ImportCommand.class, DemoCommand.class, InstallCommand.class,
            CompletionCommand.class);

    private final Context ctx;

    @Option(names = {"-h", "--help"}, usageHelp = true, scope = ScopeType.INHERIT, description = "Show this help.")
    private boolean help;

    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print mver's version.")
    private boolean version;

    @Option(names = "-C", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Run as if mver was started in DIR.")
    private Path directory;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Show stack traces for errors.")
    private boolean debug;

    @Option(names = "--no-progress", scope = ScopeType.INHERIT, description = "Never draw progress on the terminal.")
    private boolean noProgress;

    private final RepositoryPrefetch prefetch;

    MverCommand(Context ctx) {
        this(ctx, RepositoryPrefetch.NONE);
    }

    MverCommand(Context ctx, RepositoryPrefetch prefetch) {
        this.ctx = ctx;
        this.prefetch = prefetch;
    }

    @Override
    public void run() {
        commandLine(this, new String[0]).usage(ctx.out());
    }

    /**
     * The command line for {@code args}. Building picocli's model of every subcommand costs
     * more start-up time than most commands' work, so only the one named in {@code args} is added; without a
     * recognisable name (help, a typo, no command) every one is, so help and suggestions stay complete;
     * {@code --version} needs none.
     */
    static picocli.CommandLine commandLine(MverCommand root, String[] args) {
        picocli.CommandLine cli = new picocli.CommandLine(root);
        // The exit codes come from the one table, ExitCode, so the help cannot drift from what mver returns.
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            codes.put(Integer.toString(code.code()), code.meaning());
        }
        cli.getCommandSpec().usageMessage().exitCodeList(codes);
        int at = subcommandIndex(args);
        String wanted = at < 0 ? null : args[at];
        List<String> rootOptions = List.of(args).subList(0, at < 0 ? args.length : at);
        // "mver -h status" is the root's help, which lists every command.
        boolean rootHelp = rootOptions.contains("--help") || rootOptions.contains("-h");
        Class<?> only = null;
        for (Class<?> c : SUBCOMMANDS) {
            if (c.getAnnotation(Command.class).name().equals(wanted) && !rootHelp) {
                only = c;
            }
        }
        boolean versionOnly = wanted == null && !rootHelp
                && (rootOptions.contains("--version") || rootOptions.contains("-V"));
        for (Class<?> c : SUBCOMMANDS) {
            if (!versionOnly && (only == null || c == only)) {
                cli.addSubcommand(c);
            }
        }
        if (!versionOnly && only == null) {
            cli.addSubcommand(HelpCommand.class);
        }
        return cli;
    }

    /** The command line with every subcommand, for completion scripts. */
    static picocli.CommandLine everyCommand(Context ctx) {
        return commandLine(new MverCommand(ctx, RepositoryPrefetch.NONE), new String[0]);
    }

    /** The first word that is not one of the root's options (or the value of {@code -C}). */
    static String subcommandName(String[] args) {
        int at = subcommandIndex(args);
        return at < 0 ? null : args[at];
    }

    private static int subcommandIndex(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-C")) {
                i++;
            } else if (a.equals("--")) {
                return -1;
            } else if (!a.startsWith("-")) {
                return i;
            }
        }
        return -1;
    }

    Context ctx() {
        return ctx;
    }

    boolean debug() {
        return debug;
    }

    boolean progressWanted() {
        return ctx.terminal() && !noProgress;
    }

    /** This run's environment, clock, progress (on a terminal only) and notices (stderr, one line each). */
    Mver.Settings settings() {
        java.util.function.Consumer<String> notice = line -> {
            ctx.err().println("mver: " + line);
            ctx.err().flush();
        };
        return new Mver.Settings(ctx.env(), ctx.clock(), progressWanted()
                ? new TerminalProgress(ctx.err(), ctx.clock()) : dev.mver.core.store.ProgressListener.NONE, notice);
    }

    /** mver on the work tree the command works in (see {@link #workDir}), its repository opened ahead if it could be. */
    Mver openMver(Mver.Settings settings) {
        Path dir = workDir();
        return Mver.open(dir, prefetch.take(dir), settings);
    }

    /** The folder the command works in: {@code -C DIR} resolved against the working directory. */
    Path workDir() {
        return directory == null ? ctx.cwd() : ctx.cwd().resolve(directory).normalize();
    }
}
