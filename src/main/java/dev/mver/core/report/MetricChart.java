package dev.mver.core.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;

/**
 * One metric across a model's versions as inline SVG: versions on the x axis in semver order, one point per version
 * that has the metric (its exact value in the point's title, shown on hover), lines only between neighbours that
 * both have it, so a missing value is a gap, never a zero. Drawn with fixed arithmetic: the same values give the
 * same bytes.
 */
final class MetricChart {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 200;
    private static final int PAD = 36;

    /** One version's value of the metric; null when that version does not have it. */
    record Point(String version, BigDecimal value) {
    }

    private MetricChart() {
    }

    /**
     * The chart as a figure whose caption gives the metric, its range and the versions it spans as text, which stays
     * readable on a phone where the chart's own labels shrink with it (and are hidden).
     */
    static String figure(String metric, List<Point> points) {
        BigDecimal min = extreme(points, -1);
        BigDecimal max = extreme(points, 1);
        Html h = new Html().raw("<figure><figcaption>").text(metric);
        if (min != null) {
            h.raw(" <span class=\"range\">").text(label(min) + " \u2013 " + label(max) + ", v"
                    + points.get(0).version() + " \u2013 v" + points.get(points.size() - 1).version()).raw("</span>");
        }
        return h.raw("</figcaption>\n").raw(svg(metric, points, min, max)).raw("</figure>\n").toString();
    }

    /** The least ({@code sign} -1) or greatest (1) value the points have; null when none has one. */
    private static BigDecimal extreme(List<Point> points, int sign) {
        BigDecimal out = null;
        for (Point p : points) {
            if (p.value() != null && (out == null || Integer.signum(p.value().compareTo(out)) == sign)) {
                out = p.value();
            }
        }
        return out;
    }

    private static String svg(String metric, List<Point> points, BigDecimal min, BigDecimal max) {
        Html h = new Html();
        h.raw("<svg class=\"chart\" viewBox=\"0 0 " + WIDTH + " " + HEIGHT + "\" role=\"img\" aria-label=\"")
                .text(metric + " across versions").raw("\">\n<title>").text(metric).raw("</title>\n");
        h.raw("<line class=\"axis\" x1=\"" + PAD + "\" y1=\"" + (HEIGHT - PAD) + "\" x2=\"" + (WIDTH - PAD / 2)
                + "\" y2=\"" + (HEIGHT - PAD) + "\"/>\n");
        if (min != null) {
            h.raw("<text class=\"tick\" x=\"2\" y=\"" + (PAD / 2 + 4) + "\">").text(label(max))
                    .raw("</text>\n<text class=\"tick\" x=\"2\" y=\"" + (HEIGHT - PAD) + "\">").text(label(min))
                    .raw("</text>\n");
        }
        String radius = points.size() > 100 ? "1.5" : "3.5"; // dense points would hide the line
        StringBuilder segment = new StringBuilder();
        StringBuilder dots = new StringBuilder();
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            String x = x(i, points.size());
            if (p.value() == null) {
                flush(h, segment);
                continue;
            }
            String y = y(p.value(), min, max);
            segment.append(segment.length() == 0 ? "" : " ").append(x).append(',').append(y);
            // The exact value is in the title (shown on hover); no class or data attributes per point, since a
            // model with 10,000 versions has 10,000 of them per metric.
            dots.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"").append(radius)
                    .append("\"><title>v").append(Html.escape(p.version())).append(": ")
                    .append(Html.escape(label(p.value()))).append("</title></circle>\n");
        }
        flush(h, segment);
        h.raw(dots.toString());
        if (!points.isEmpty()) {
            h.raw("<text class=\"tick\" x=\"" + PAD + "\" y=\"" + (HEIGHT - 8) + "\">v").text(points.get(0).version())
                    .raw("</text>\n<text class=\"tick end\" x=\"" + (WIDTH - PAD / 2) + "\" y=\"" + (HEIGHT - 8)
                            + "\">v").text(points.get(points.size() - 1).version()).raw("</text>\n");
        }
        return h.raw("</svg>\n").toString();
    }

    private static void flush(Html h, StringBuilder segment) {
        if (segment.indexOf(" ") > 0) {
            h.raw("<polyline class=\"line\" points=\"" + segment + "\"/>\n");
        }
        segment.setLength(0);
    }

    private static String x(int i, int n) {
        double span = WIDTH - PAD * 1.5;
        return fixed(n == 1 ? PAD + span / 2 : PAD + span * i / (n - 1));
    }

    /**
     * The height of {@code v} between {@code min} and {@code max}, worked out in decimal arithmetic rounded to 16
     * digits: a metric may be 1e309 (no double holds it) or 1e-400, and exact arithmetic on 1e999999999 and 0.5
     * would build a number a billion digits long.
     */
    private static String y(BigDecimal v, BigDecimal min, BigDecimal max) {
        double top = PAD / 2.0;
        double bottom = HEIGHT - PAD;
        if (max.compareTo(min) == 0) {
            return fixed((top + bottom) / 2);
        }
        double f = v.subtract(min, MathContext.DECIMAL64).divide(max.subtract(min, MathContext.DECIMAL64),
                MathContext.DECIMAL64).doubleValue();
        return fixed(bottom - Math.max(0, Math.min(1, f)) * (bottom - top));
    }

    /** A value as written out in full, or in E notation when that would take more than 24 characters (1E-400). */
    static String label(BigDecimal v) {
        if (Math.abs((long) v.scale()) > 24) {
            return v.toString(); // never written out: 1e999999999 in full is a billion digits
        }
        String plain = v.toPlainString();
        return plain.length() <= 24 ? plain : v.toString();
    }

    /** {@code d} (never negative here) to one decimal, as integer arithmetic: the same on every machine and fast. */
    private static String fixed(double d) {
        long tenths = Math.round(d * 10);
        return (tenths / 10) + "." + (tenths % 10);
    }
}
