package dev.mver.core.registry;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.TagName;

/**
 * A version registered by another tool (a GTO tag, a hand-made annotated tag): it has no mver payload to check, so
 * reads that need one refuse it (exit 6) while reads that can show it ({@code show}, {@code log}, {@code checkout}
 * when its commit holds a record) take it as it is.
 */
public final class ForeignVersion extends MverException {
    private static final long serialVersionUID = 1L;

    public ForeignVersion(TagName tag) {
        super(ExitCode.INTEGRITY, tag + " was registered by another tool (its tag carries no mver payload)");
    }
}
