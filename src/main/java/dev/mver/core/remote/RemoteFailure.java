package dev.mver.core.remote;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;

/**
 * A remote that failed or refused (exit 7), and whether trying again could help: a connection reset or a server
 * error could pass, a refusal, a timeout or a missing bucket will not.
 */
public class RemoteFailure extends MverException {
    private static final long serialVersionUID = 1L;
    private final boolean retryable;

    public RemoteFailure(String message, boolean retryable, Throwable cause) {
        super(ExitCode.REMOTE, message, cause);
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
