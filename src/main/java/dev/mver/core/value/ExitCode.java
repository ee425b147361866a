package dev.mver.core.value;

/** The process exit codes mver documents; stable across releases so scripts and CI can branch on them. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "internal error (a bug: please report it)"),
    USAGE(2, "usage error (bad flag, version, name or input file)"),
    POLICY(3, "policy violation"),
    NOT_FOUND(4, "not found (model, version, stage, artifact object)"),
    CONFLICT(5, "conflict (version or tag exists, concurrent change)"),
    INTEGRITY(6, "integrity failure (hash mismatch, corrupt object, tampered tag)"),
    REMOTE(7, "remote unavailable or refused"),
    LOCAL_IO(8, "local I/O failure (disk full, permission denied, read-only file system)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    /** What the code means, as {@code --help} lists it. */
    public String meaning() {
        return meaning;
    }

    /** The code of a failure that is not an {@link MverException}: an I/O error is local I/O, anything else a bug. */
    public static ExitCode of(Throwable failure) {
        if (failure instanceof MverException me) {
            return me.exitCode();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.InvalidPathException) {
                return USAGE; // a file name this locale's charset cannot hold: the environment, not a bug
            }
            if (t instanceof java.io.IOException || t instanceof java.io.UncheckedIOException) {
                return LOCAL_IO;
            }
        }
        return INTERNAL;
    }
}
