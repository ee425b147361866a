package dev.mver.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "mver",
        description = "Git-backed model versioning: semantic versions, metadata records and annotated tags for "
                + "ML models, with the bytes in a content-addressed store.",
        versionProvider = VersionProvider.class,
        sortOptions = false,
        subcommands = {InitCommand.class, AddCommand.class, StatusCommand.class, RegisterCommand.class,
                ListCommand.class, ShowCommand.class, LogCommand.class, DiffCommand.class, CheckoutCommand.class,
                StageCommands.Promote.class, StageCommands.Rollback.class, StageCommands.Demote.class,
                StageCommands.Deprecate.class, StagesCommand.class, HistoryCommand.class, VerifyCommand.class,
                AuditCommand.class, CheckCommand.class, BumpCommand.class, HookCommand.class, RemoteCommand.class,
                SyncCommands.Push.class, SyncCommands.Fetch.class, SyncCommands.Pull.class, SyncCommands.Gc.class,
                CheckRefCommand.class, ReleaseCommand.class,
                DemoCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:internal error (a bug: please report it)",
                "2:usage error (bad flag, version, name or input file)",
                "3:policy violation",
                "4:not found (model, version, stage, artifact object)",
                "5:conflict (version or tag exists, concurrent change)",
                "6:integrity failure (hash mismatch, corrupt object, tampered tag)",
                "7:remote unavailable or refused"})
public final class MverCommand implements Runnable {
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

    MverCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(ctx.out());
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

    /** The folder the command works in: {@code -C DIR} resolved against the working directory. */
    Path workDir() {
        return directory == null ? ctx.cwd() : ctx.cwd().resolve(directory).normalize();
    }
}
