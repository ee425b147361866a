package dev.mver.core.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mver.core.MverException;
import java.util.regex.Pattern;

/**
 * A model's name: letters, digits, {@code -}, {@code _} and {@code /}, starting and ending with a letter or digit,
 * no empty path segment. The grammar keeps names safe inside ref names, file paths and shell commands.
 */
public record ModelName(String value) implements Comparable<ModelName> {
    private static final Pattern GRAMMAR = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9_/-]{0,126}[A-Za-z0-9])?");

    public ModelName {
        if (value == null || !GRAMMAR.matcher(value).matches() || value.contains("//")) {
            throw MverException.usage("'%s' is not a valid model name (letters, digits, '-', '_', '/'; "
                    + "starts and ends with a letter or digit)", value == null ? "" : dev.mver.core.Text.printable(value, 80));
        }
        for (String segment : value.split("/")) {
            if (!Character.isLetterOrDigit(segment.charAt(0)) || !Character.isLetterOrDigit(segment.charAt(segment.length() - 1))
                    || segment.toLowerCase(java.util.Locale.ROOT).endsWith(".lock")) {
                throw MverException.usage("'%s' is not a valid model name (each '/' part starts and ends with a "
                        + "letter or digit)", dev.mver.core.Text.printable(value, 80));
            }
        }
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
