package dev.mver.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mver.core.MverException;
import java.util.regex.Pattern;

/**
 * A model's name: letters, digits, {@code -}, {@code _} and {@code /}, starting and ending with a letter or digit,
 * no empty path segment, not starting with {@code refs/}, at most 128 characters. A GTO monorepo name {@code dir=name} is accepted too. The grammar
 * keeps names safe inside ref names, file paths and shell commands.
 */
public record ModelName(String value) implements Comparable<ModelName> {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?");
    private static final int MAX_LENGTH = 128;

    public ModelName {
        if (value == null || value.length() > MAX_LENGTH || !validParts(value)) {
            throw MverException.usage("'%s' is not a valid model name (letters, digits, '-', '_', '/'; "
                    + "each '/' part starts and ends with a letter or digit; no leading 'refs/')",
                    value == null ? "" : dev.mver.core.Text.printable(value, 80));
        }
    }

    private static boolean validParts(String value) {
        String[] sides = value.split("=", -1);
        if (sides.length > 2) {
            return false;
        }
        for (String side : sides) {
            // "refs/heads/main@v1.0.0" would be a legal tag that reads like a branch to every git user.
            if (side.regionMatches(true, 0, "refs/", 0, 5)) {
                return false;
            }
            for (String segment : side.split("/", -1)) {
                if (!SEGMENT.matcher(segment).matches()) {
                    return false;
                }
            }
        }
        return true;
    }

    @JsonCreator
    public static ModelName of(String value) {
        return new ModelName(value);
    }

    public static boolean isValid(String value) {
        try {
            of(value);
            return true;
        } catch (MverException e) {
            return false;
        }
    }

    @JsonValue
    @Override
    public String value() {
        return value;
    }

    @Override
    public int compareTo(ModelName o) {
        return value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value;
    }

}
