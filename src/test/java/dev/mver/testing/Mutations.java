package dev.mver.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Seeded mutations of valid inputs for parser tests: bit flips, truncation, random tails, byte swaps, and tokens
 * that attack paths, refs, shells and JSON (so mutants reach past the first syntax check).
 */
public final class Mutations {
    static final String[] TOKENS = {"../", "..", "/", "//", "\\", "\0", "\n", "\r", ".git/", ".GIT", "A", "a",
        "\u00e9", "\u0130", "\"", "{", "}", "[", "]", ",", ":", "-1", "0", "1e999", "9223372036854775808", "null",
        "true", "$(id)", "`id`", ";", "|", "&", "'", " ", "~", "^", "@{", "@", "#", "!", "*", "?", ".lock", "v",
        "refs/heads/", "\u202e", "\ufeff", "0".repeat(64), "F".repeat(64)};

    private Mutations() {
    }

    /** One to three mutations of {@code input}. */
    public static byte[] mutate(byte[] input, Random random) {
        byte[] out = input;
        for (int k = 1 + random.nextInt(3); k > 0; k--) {
            out = once(out, random);
        }
        return out;
    }

    public static String mutate(String input, Random random) {
        return new String(mutate(input.getBytes(StandardCharsets.UTF_8), random), StandardCharsets.UTF_8);
    }

    private static byte[] once(byte[] in, Random random) {
        if (in.length == 0) {
            return token(random);
        }
        int at = random.nextInt(in.length);
        return switch (random.nextInt(7)) {
            case 0 -> {
                byte[] out = in.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                yield out;
            }
            case 1 -> Arrays.copyOf(in, at);
            case 2 -> {
                byte[] out = Arrays.copyOf(in, in.length + 1 + random.nextInt(8));
                for (int i = in.length; i < out.length; i++) {
                    out[i] = (byte) random.nextInt(256);
                }
                yield out;
            }
            case 3 -> {
                byte[] out = in.clone();
                out[at] = (byte) random.nextInt(256);
                yield out;
            }
            case 4 -> {
                int end = Math.min(in.length, at + 1 + random.nextInt(16));
                byte[] out = new byte[in.length - (end - at)];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(in, end, out, at, in.length - end);
                yield out;
            }
            default -> {
                byte[] t = token(random);
                byte[] out = new byte[in.length + t.length];
                System.arraycopy(in, 0, out, 0, at);
                System.arraycopy(t, 0, out, at, t.length);
                System.arraycopy(in, at, out, at + t.length, in.length - at);
                yield out;
            }
        };
    }

    private static byte[] token(Random random) {
        return TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8);
    }
}
