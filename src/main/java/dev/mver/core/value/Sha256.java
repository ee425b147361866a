package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A SHA-256 digest as exactly 64 lower-case hex characters, validated before it is ever used in a path. */
public record Sha256(String hex) {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    public Sha256 {
        if (hex == null || !HEX.matcher(hex).matches()) {
            throw MverException.invalid("not a sha256 (64 lower-case hex characters): "
                    + (hex == null ? "null" : hex.length() > 70 ? hex.substring(0, 70) + "..." : hex));
        }
    }

    @JsonCreator
    public static Sha256 ofHex(String hex) {
        return new Sha256(hex);
    }

    // Written out, as in every value status compares: a record's generated equals and hashCode set up method
    // handles on first use, which cost status a fifth of its own time.
    @Override
    public boolean equals(Object o) {
        return o instanceof Sha256 other && hex.equals(other.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    public static Sha256 of(byte[] digest) {
        return new Sha256(HexFormat.of().formatHex(digest));
    }

    public static Sha256 hash(byte[] bytes) {
        return hash(bytes, bytes.length);
    }

    /** The hash of the first {@code length} bytes. */
    public static Sha256 hash(byte[] bytes, int length) {
        MessageDigest d = newDigest();
        d.update(bytes, 0, length);
        return of(d.digest());
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @JsonValue
    @Override
    public String hex() {
        return hex;
    }

    public String shortHex() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return hex;
    }
}
