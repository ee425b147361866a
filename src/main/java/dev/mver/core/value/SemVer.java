package dev.mver.core.value;

import java.math.BigInteger;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Semantic Versioning 2.0.0 version with semver.org precedence: numeric identifiers compare numerically,
 * a pre-release sorts before its release, and build metadata is ignored for precedence (but kept, and part of
 * equality, so two tags can never differ only by build metadata without being told apart).
 */
public record SemVer(BigInteger major, BigInteger minor, BigInteger patch, List<String> preRelease, List<String> build)
        implements Comparable<SemVer> {
    /** Written out: a record's own goes through a method handle, and verify hashes 20,000 versions many times over. */
    @Override
    public int hashCode() {
        return ((major.hashCode() * 31 + minor.hashCode()) * 31 + patch.hashCode()) * 31 + preRelease.hashCode() * 7
                + build.hashCode();
    }

    // The regular expression suggested by semver.org.
    private static final Pattern GRAMMAR = Pattern.compile(
            "^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$");
    private static final int MAX_LENGTH = 128;

    public SemVer {
        preRelease = List.copyOf(preRelease);
        build = List.copyOf(build);
        if (major.signum() < 0 || minor.signum() < 0 || patch.signum() < 0) {
            throw MverException.invalid("version numbers cannot be negative");
        }
    }

    public static SemVer of(long major, long minor, long patch) {
        return new SemVer(BigInteger.valueOf(major), BigInteger.valueOf(minor), BigInteger.valueOf(patch),
                List.of(), List.of());
    }

    /** Parses {@code 1.2.3}, {@code v1.2.3} or any full SemVer 2.0 string; a malformed one is a usage error. */
    public static SemVer parse(String text) {
        SemVer v = parseOrNull(text);
        if (v == null) {
            if (text == null || text.isEmpty()) {
                throw MverException.usage("version is empty");
            }
            throw MverException.usage("'%s' is not a semantic version (expected MAJOR.MINOR.PATCH, e.g. 1.2.0)",
                    Text.printable(text, 80));
        }
        return v;
    }

    /** {@link #parse}, with null for a malformed version: listing thousands of tags must not cost exceptions. */
    public static SemVer parseOrNull(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        int start = text.charAt(0) == 'v' ? 1 : 0;
        SemVer plain = plainRelease(text, start);
        if (plain != null) {
            return plain;
        }
        String s = text.substring(start);
        Matcher m = s.length() <= MAX_LENGTH ? GRAMMAR.matcher(s) : null;
        if (m == null || !m.matches()) {
            return null;
        }
        return new SemVer(new BigInteger(m.group(1)), new BigInteger(m.group(2)), new BigInteger(m.group(3)),
                m.group(4) == null ? List.of() : List.of(m.group(4).split("\\.")),
                m.group(5) == null ? List.of() : List.of(m.group(5).split("\\.")));
    }

    public static boolean isValid(String text) {
        return parseOrNull(text) != null;
    }

    /**
     * The common case, {@code X.Y.Z} with small numbers, without the regular expression (a registry lists every
     * tag on every command); anything else, including what this rejects, goes through the full grammar.
     */
    private static SemVer plainRelease(String s, int from) {
        long[] parts = new long[3];
        int i = from;
        for (int k = 0; k < 3; k++) {
            int begin = i;
            long n = 0;
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && i - begin < 18) {
                n = n * 10 + (s.charAt(i) - '0');
                i++;
            }
            boolean leadingZero = i - begin > 1 && s.charAt(begin) == '0';
            if (i == begin || leadingZero || (k < 2 && (i >= s.length() || s.charAt(i) != '.'))) {
                return null;
            }
            parts[k] = n;
            i += k < 2 ? 1 : 0;
        }
        return i == s.length() ? of(parts[0], parts[1], parts[2]) : null;
    }

    public boolean isPreRelease() {
        return !preRelease.isEmpty();
    }

    /** The next release: {@code 1.2.3-rc.1} bumped patch is {@code 1.2.3}, as npm and semver tools do. */
    public SemVer bump(Bump bump) {
        BigInteger one = BigInteger.ONE;
        return switch (bump) {
            case MAJOR -> (isPreRelease() && minor.signum() == 0 && patch.signum() == 0)
                    ? release() : new SemVer(major.add(one), BigInteger.ZERO, BigInteger.ZERO, List.of(), List.of());
            case MINOR -> (isPreRelease() && patch.signum() == 0)
                    ? release() : new SemVer(major, minor.add(one), BigInteger.ZERO, List.of(), List.of());
            case PATCH -> isPreRelease()
                    ? release() : new SemVer(major, minor, patch.add(one), List.of(), List.of());
        };
    }

    /** The first version of a model registered with {@code --bump}: 1.0.0, 0.1.0 or 0.0.1. */
    public static SemVer first(Bump bump) {
        return switch (bump) {
            case MAJOR -> of(1, 0, 0);
            case MINOR -> of(0, 1, 0);
            case PATCH -> of(0, 0, 1);
        };
    }

    /** Whether this version is the release {@code candidate} (a pre-release) leads to: 2.0.0 of 2.0.0-rc.1. */
    public boolean releases(SemVer candidate) {
        return candidate.isPreRelease() && compareTo(candidate.release()) == 0;
    }

    /** This version without pre-release and build metadata: the release it leads to. */
    public SemVer release() {
        return new SemVer(major, minor, patch, List.of(), List.of());
    }

    @Override
    public int compareTo(SemVer other) {
        int c = major.compareTo(other.major);
        if (c == 0) {
            c = minor.compareTo(other.minor);
        }
        if (c == 0) {
            c = patch.compareTo(other.patch);
        }
        if (c == 0) {
            c = comparePreRelease(preRelease, other.preRelease);
        }
        return c;
    }

    private static int comparePreRelease(List<String> a, List<String> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compareIdentifier(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareIdentifier(String x, String y) {
        boolean xn = x.chars().allMatch(Character::isDigit);
        boolean yn = y.chars().allMatch(Character::isDigit);
        if (xn && yn) {
            return new BigInteger(x).compareTo(new BigInteger(y));
        }
        if (xn != yn) {
            return xn ? -1 : 1;
        }
        return x.compareTo(y);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(major).append('.').append(minor).append('.').append(patch);
        if (!preRelease.isEmpty()) {
            sb.append('-').append(String.join(".", preRelease));
        }
        if (!build.isEmpty()) {
            sb.append('+').append(String.join(".", build));
        }
        return sb.toString();
    }

    /** The form used in tags: {@code v1.2.3}. */
    public String tagForm() {
        return "v" + this;
    }

}
