package dev.mver.cli;

import dev.mver.core.value.Text;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Human output helpers: sizes, clipping and aligned tables. */
final class Format {
    private Format() {
    }

    static String bytes(long n) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /** The shortest plain form: {@code 1h}, {@code 90m}, {@code 45s}, {@code 0s}. */
    static String duration(java.time.Duration d) {
        long s = d.getSeconds();
        if (s > 0 && s % 86_400 == 0) {
            return s / 86_400 + "d";
        }
        if (s > 0 && s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s > 0 && s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    /** A mark after what another tool made, or what replaced mver's own (tampered); nothing for mver's. */
    static String origin(dev.mver.core.value.Origin origin) {
        return switch (origin) {
            case MVER -> "";
            case OTHER_TOOL -> " (other tool)";
            case TAMPERED -> " (TAMPERED: see mver verify)";
        };
    }

    static String clip(String s, int max) {
        if (s == null) {
            return "";
        }
        return s.length() <= max ? s : "..." + s.substring(s.length() - max + 3);
    }

    /** A table whose columns are padded to their widest cell; the last column is never padded. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        /** Cells come from repositories and users: control characters are escaped so they cannot drive the terminal. */
        Table row(String... cells) {
            String[] safe = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                safe[i] = cells[i] == null ? null : Text.printable(cells[i], 4000);
            }
            rows.add(safe);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        void print(PrintWriter out) {
            int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[] width = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i] == null ? 0 : r[i].length());
                }
            }
            // One write for the whole table: the console writer flushes at every println, a system call per row
            // (22,000 of them for a long history).
            StringBuilder all = new StringBuilder();
            String newline = System.lineSeparator();
            for (String[] r : rows) {
                int start = all.length();
                for (int i = 0; i < r.length; i++) {
                    String cell = r[i] == null ? "" : r[i];
                    all.append(cell);
                    if (i < r.length - 1) {
                        all.append(" ".repeat(width[i] - cell.length() + 2));
                    }
                }
                int end = all.length();
                while (end > start && Character.isWhitespace(all.charAt(end - 1))) {
                    end--;
                }
                all.setLength(end);
                all.append(newline);
            }
            out.print(all);
            out.flush();
        }
    }
}
