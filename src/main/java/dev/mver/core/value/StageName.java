package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * A stage a model version can be in ({@code dev}, {@code staging}, {@code production}): lower-case letters, digits,
 * {@code -} and {@code _}, starting and ending with a letter or digit, at most 64 characters. GTO's tag grammar
 * ({@code NAME#STAGE#N}) and git's ref names both accept every such name.
 */
public record StageName(String value) implements Comparable<StageName> {
    private static final Pattern GRAMMAR = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?");

    public StageName {
        if (!isValid(value)) {
            throw MverException.usage("'%s' is not a valid stage name (lower-case letters, digits, '-', '_')",
                    value == null ? "" : Text.printable(value, 40));
        }
    }

    @JsonCreator
    public static StageName of(String value) {
        return new StageName(value);
    }

    public static boolean isValid(String value) {
        return value != null && GRAMMAR.matcher(value).matches();
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(StageName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
