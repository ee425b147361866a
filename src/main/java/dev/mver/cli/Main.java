package dev.mver.cli;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.CommandLine;

/** The {@code mver} entry point: one error path, documented exit codes, writers injected for in-process tests. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        Path cwd = Path.of("").toAbsolutePath();
        RepositoryPrefetch prefetch = RepositoryPrefetch.start(args, cwd);
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Context ctx = new Context(out, err, System.getenv(), Clock.systemDefaultZone(), cwd,
                System.console() != null);
        int code = run(ctx, prefetch, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line; never calls {@code System.exit}. */
    public static int run(Context ctx, String... args) {
        return run(ctx, RepositoryPrefetch.NONE, args);
    }

    private static int run(Context ctx, RepositoryPrefetch prefetch, String... args) {
        MverCommand root = new MverCommand(ctx, prefetch);
        CommandLine cli = MverCommand.commandLine(root, args);
        cli.setOut(ctx.out());
        cli.setErr(ctx.err());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((ex, params) -> {
            ctx.err().println("mver: error: " + explain(ex) + " (see 'mver "
                    + helpName(ex.getCommandLine()) + "--help')");
            ctx.err().flush();
            return ExitCode.USAGE.code();
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            ctx.err().println("mver: error: " + describe(ex));
            if (root.debug()) {
                ex.printStackTrace(ctx.err());
            }
            ctx.err().flush();
            return exitCode(ex).code();
        });
        prefetch.awaitGitSetup();
        int code = cli.execute(args);
        ctx.out().flush();
        return code;
    }

    static ExitCode exitCode(Throwable ex) {
        return ExitCode.of(ex);
    }

    static String describe(Throwable ex) {
        if (ex instanceof MverException) {
            return firstLine(ex.getMessage());
        }
        if (ex instanceof UncheckedIOException || ex instanceof java.io.IOException) {
            return firstLine(ex.getMessage());
        }
        if (ex instanceof java.nio.file.InvalidPathException) {
            return "a file name cannot be read in this locale's charset (" + System.getProperty("sun.jnu.encoding")
                    + "): run mver with a UTF-8 locale (LC_ALL=C.UTF-8), as its launcher does";
        }
        return "internal error: " + ex.getClass().getSimpleName() + ": " + firstLine(String.valueOf(ex.getMessage()))
                + " (this is a bug; run again with --debug and report it)";
    }

    /**
     * What to say about an unknown word: {@code unknown command 'stauts'; did you mean status?} (the nearest of the
     * command's subcommands or options), or picocli's own words for any other mistake.
     */
    private static String explain(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String typed = u.getUnmatched().get(0);
            CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
            if (typed.startsWith("-")) {
                String name = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
                return "unknown option '" + Text.printable(name, 40) + "'" + Suggestions.phrase(name,
                        spec.optionsMap().keySet());
            }
            if (!spec.subcommands().isEmpty()) {
                return "unknown command '" + Text.printable(typed, 40) + "'" + Suggestions.phrase(typed,
                        spec.subcommands().keySet());
            }
        }
        return firstLine(ex.getMessage());
    }

    private static String helpName(CommandLine cmd) {
        StringBuilder sb = new StringBuilder();
        for (CommandLine c = cmd; c != null && c.getParent() != null; c = c.getParent()) {
            sb.insert(0, c.getCommandName() + " ");
        }
        return sb.toString();
    }

    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl >= 0 ? message.substring(0, nl) : message;
    }

    /** A context for tests: fixed writers, the given environment and clock, no terminal. */
    public static Context context(PrintWriter out, PrintWriter err, Map<String, String> env, Clock clock, Path cwd) {
        return new Context(out, err, env, clock, cwd, false);
    }
}
