package dev.mver.core.value;

/**
 * A failure the user can act on: a one-line message and the exit code that classifies it.
 * Library exceptions are translated into this at the service boundary so the CLI never shows a stack trace
 * for a user mistake.
 */
public class MverException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public MverException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MverException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** A value that is not valid, for constructors of values: the message is taken as it is, never formatted. */
    public static MverException invalid(String message) {
        return new MverException(ExitCode.USAGE, message);
    }

    public static MverException usage(String format, Object... args) {
        return new MverException(ExitCode.USAGE, String.format(format, args));
    }

    public static MverException notFound(String format, Object... args) {
        return new MverException(ExitCode.NOT_FOUND, String.format(format, args));
    }

    public static MverException conflict(String format, Object... args) {
        return new MverException(ExitCode.CONFLICT, String.format(format, args));
    }

    public static MverException integrity(String format, Object... args) {
        return new MverException(ExitCode.INTEGRITY, String.format(format, args));
    }

    public static MverException policy(String format, Object... args) {
        return new MverException(ExitCode.POLICY, String.format(format, args));
    }
}
