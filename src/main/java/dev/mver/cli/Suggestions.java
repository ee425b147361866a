package dev.mver.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean": the known names a mistyped one is a slip away from (a letter missed, added, changed or swapped). */
final class Suggestions {
    private Suggestions() {
    }

    private record Near(String name, int distance) {
    }

    /** Up to three of {@code known} nearest to {@code typed}, nearest first; none when nothing is close. */
    static List<String> nearest(String typed, Collection<String> known) {
        int limit = Math.max(1, typed.length() / 3);
        String t = typed.toLowerCase(Locale.ROOT);
        return known.stream().distinct()
                .map(k -> new Near(k, distance(t, k.toLowerCase(Locale.ROOT))))
                .filter(n -> n.distance() <= limit)
                .sorted(Comparator.comparingInt(Near::distance).thenComparing(Near::name))
                .map(Near::name)
                .limit(3)
                .toList();
    }

    /** "; did you mean a or b?", or nothing. */
    static String phrase(String typed, Collection<String> known) {
        List<String> near = nearest(typed, known);
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near) + "?";
    }

    /** Edits from one to the other, a swap of neighbours counting as one (optimal string alignment). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
