package dev.mver.core.git;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;

/**
 * A registration lost a compare-and-swap to a concurrent one (the tag, the branch or the model's event counter
 * moved under it). Nothing was written; a registration whose version is computed can simply be computed again.
 */
public final class RegistrationRaced extends MverException {
    private static final long serialVersionUID = 1L;

    RegistrationRaced(String message) {
        super(ExitCode.CONFLICT, message);
    }
}
