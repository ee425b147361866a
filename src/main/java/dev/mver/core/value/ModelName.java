package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A model's name: letters, digits, {@code -}, {@code _} and {@code /}, starting and ending with a letter or digit,
 * no empty path segment, not starting with {@code refs/}, at most 128 characters. A GTO monorepo name {@code dir=name} is accepted too. The grammar
 * keeps names safe inside ref names, file paths and shell commands.
 */
public record ModelName(String value) implements Comparable<ModelName> {
    private static final int MAX_LENGTH = 128;

    /** Written out, as {@link SemVer#hashCode}. */
    @Override
    public int hashCode() {
        return value.hashCode();
    }

    public ModelName {
        if (value == null || value.length() > MAX_LENGTH || !validParts(value)) {
            throw MverException.usage("'%s' is not a valid model name (letters, digits, '-', '_', '/'; "
                    + "each '/' part starts and ends with a letter or digit; no leading 'refs/')",
                    value == null ? "" : Text.printable(value, 80));
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
                if (!validSegment(segment)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code [A-Za-z0-9]([A-Za-z0-9_-]*[A-Za-z0-9])?}, by hand: every tag name is checked on every listing. */
    private static boolean validSegment(String s) {
        if (s.isEmpty() || !alnum(s.charAt(0)) || !alnum(s.charAt(s.length() - 1))) {
            return false;
        }
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (!alnum(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean alnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    @JsonCreator
    public static ModelName of(String value) {
        return new ModelName(value);
    }

    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && validParts(value);
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
