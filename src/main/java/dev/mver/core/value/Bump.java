package dev.mver.core.value;

import java.util.Locale;

/** The three kinds of version change, with the meaning mver gives them. */
public enum Bump {
    /** Architecture or feature set changed. */
    MAJOR,
    /** Retrained (dataset, training code) with the same architecture. */
    MINOR,
    /** Hyperparameter tweak, bug fix or metadata correction. */
    PATCH;

    public static Bump parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw MverException.usage("unknown bump '%s' (expected major, minor or patch)", Text.printable(text, 40));
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
