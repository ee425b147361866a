package dev.mver.core.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The static site {@code mver report} writes: an index of models and a page per model (versions, a chart per
 * metric, the stage timeline, lineage, the audit trail). Self-contained (inline CSS and SVG, no script, nothing
 * fetched), readable at phone width, in print and in dark mode, and deterministic: the same registry gives the
 * same bytes (no clock is read; everything is in registry order).
 */
public final class RegistryReport {
    /** One version of a model, oldest first in {@link Model#versions}. */
    public record Version(String version, String date, String tagger, String reason, String dataset,
                          String featureSet, String bump, List<String> stages, boolean deprecated,
                          Map<String, BigDecimal> metrics) {
    }

    /** One event of the audit trail, in the model's order. */
    public record Event(Long number, String event, String version, String stage, String tag, String by, String at,
                       String reason) {
    }

    /** A model: what its stages hold now, whether it is deprecated as a whole, its last change, versions, events. */
    public record Model(String name, String latest, Map<String, String> stages, boolean deprecated, String lastChange,
                        String lastBy, List<Version> versions, List<Event> events) {
    }

    /** A page: where it goes under the output folder and its bytes. */
    public record Page(String path, String html) {
    }

    /** Marks a page as mver's: a later report may replace the pages of a folder whose index carries it. */
    public static final String GENERATOR = "<meta name=\"generator\" content=\"mver report\">";

    private RegistryReport() {
    }

    public static List<Page> pages(List<Model> models) {
        Map<String, String> paths = paths(models);
        List<Page> out = new ArrayList<>();
        out.add(new Page("index.html", index(models, paths)));
        for (Model m : models) {
            out.add(new Page(paths.get(m.name()), model(m)));
        }
        return out;
    }

    /**
     * Each model's page: {@code models/NAME.html}; for names equal but for case ({@code Churn}, {@code churn}),
     * which a case-insensitive file system would write over each other, {@code NAME~N.html} from the second on.
     */
    private static Map<String, String> paths(List<Model> models) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new java.util.HashMap<>();
        for (Model m : models) {
            int n = seen.merge(m.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            out.put(m.name(), "models/" + m.name() + (n == 1 ? "" : "~" + n) + ".html");
        }
        return out;
    }

    private static String index(List<Model> models, Map<String, String> paths) {
        Html h = head("mver registry", "");
        h.raw("<h1>Models</h1>\n<div class=\"scroll\"><table>\n<thead><tr><th>Model</th><th>Latest</th>"
                + "<th>Stages</th><th>Versions</th><th>Last change</th><th>By</th></tr></thead>\n<tbody>\n");
        for (Model m : models) {
            h.raw("<tr><td><a href=\"").text(paths.get(m.name())).raw("\">").text(m.name()).raw("</a>")
                    .raw(m.deprecated() ? " (deprecated)" : "").raw("</td><td>")
                    .text(m.latest() == null ? "-" : "v" + m.latest()).raw("</td><td>").text(stages(m.stages()))
                    .raw("</td><td>").text(m.versions().size()).raw("</td><td>").text(m.lastChange()).raw("</td><td>")
                    .text(m.lastBy()).raw("</td></tr>\n");
        }
        return h.raw("</tbody></table></div>\n</main></body></html>\n").toString();
    }

    private static String model(Model m) {
        String up = "../"; // from models/
        Html h = head(m.name() + " - mver registry", up);
        h.raw("<p><a href=\"").text(up + "index.html").raw("\">All models</a></p>\n<h1>").text(m.name())
                .raw("</h1>\n<p>").text("latest " + (m.latest() == null ? "-" : "v" + m.latest()) + "; "
                        + (m.stages().isEmpty() ? "no stage held" : stages(m.stages()))
                        + (m.deprecated() ? "; the model is deprecated" : "")).raw("</p>\n");
        // The charts come first: a model with 10,000 versions would otherwise put them below 10,000 rows.
        h.raw("<nav><a href=\"#metrics\">Metrics</a> <a href=\"#stages\">Stage timeline</a> <a href=\"#lineage\">"
                + "Lineage</a> <a href=\"#versions\">Versions</a> <a href=\"#audit\">Audit trail</a></nav>\n");

        TreeSet<String> metrics = new TreeSet<>();
        m.versions().forEach(v -> metrics.addAll(v.metrics().keySet()));
        h.raw("<h2 id=\"metrics\">Metrics</h2>\n");
        if (metrics.isEmpty()) {
            h.raw("<p>No version records a metric.</p>\n");
        }
        h.raw(metrics.isEmpty() ? "" : "<div class=\"charts\">\n");
        for (String metric : metrics) {
            List<MetricChart.Point> points = new ArrayList<>();
            m.versions().forEach(v -> points.add(new MetricChart.Point(v.version(), v.metrics().get(metric))));
            h.raw(MetricChart.figure(metric, points));
        }
        h.raw(metrics.isEmpty() ? "" : "</div>\n");

        h.raw("<h2 id=\"stages\">Stage timeline</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Stage</th>"
                + "<th>Version</th><th>From</th><th>To</th><th>By</th><th>How</th></tr></thead>\n<tbody>\n");
        for (Span s : timeline(m.events())) {
            h.row(s.stage, "v" + s.version, s.from, !s.closed ? "now" : s.to == null ? "?" : s.to, s.by, s.how);
        }
        h.raw("</tbody></table></div>\n");

        h.raw("<h2 id=\"lineage\">Lineage</h2>\n");
        lineage(h, "Dataset snapshot", m.versions(), Version::dataset);
        lineage(h, "Feature set", m.versions(), Version::featureSet);

        h.raw("<h2 id=\"versions\">Versions</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>Version</th>"
                + "<th>Date</th><th>By</th><th>Reason</th><th>Dataset</th><th>Feature set</th><th>Bump</th>"
                + "<th>Stages</th><th>Deprecated</th></tr></thead>\n<tbody>\n");
        for (int i = m.versions().size() - 1; i >= 0; i--) {
            Version v = m.versions().get(i);
            h.anchoredRow(anchor(v), "v" + v.version(), v.date(), name(v.tagger()), firstLine(v.reason()), v.dataset(),
                    v.featureSet(), v.bump(), String.join(", ", v.stages()), v.deprecated() ? "yes" : "");
        }
        h.raw("</tbody></table></div>\n");

        h.raw("<h2 id=\"audit\">Audit trail</h2>\n<div class=\"scroll\"><table>\n<thead><tr><th>#</th><th>Event</th>"
                + "<th>Version</th><th>Stage</th><th>Tag</th><th>By</th><th>When</th><th>Why</th></tr></thead>\n"
                + "<tbody>\n");
        for (int i = m.events().size() - 1; i >= 0; i--) {
            Event e = m.events().get(i);
            h.row(e.number(), e.event(), e.version() == null ? "" : "v" + e.version(), e.stage(), e.tag(), e.by(),
                    e.at(), e.reason());
        }
        return h.raw("</tbody></table></div>\n</main></body></html>\n").toString();
    }

    /**
     * Each dataset snapshot (or feature set) and the versions trained on it, linked to their rows; neighbouring
     * versions on the same one are a range ("v1.0.0 - v1.4.0, 5 versions"), since a snapshot usually serves a run
     * of versions and a model with 10,000 would otherwise list 10,000 links.
     */
    private static void lineage(Html h, String what, List<Version> versions,
                                java.util.function.Function<Version, String> key) {
        Map<String, List<List<Version>>> runs = new TreeMap<>();
        String previous = null;
        for (Version v : versions) {
            String k = key.apply(v);
            if (k != null) {
                List<List<Version>> of = runs.computeIfAbsent(k, x -> new ArrayList<>());
                if (!k.equals(previous) || of.isEmpty()) {
                    of.add(new ArrayList<>());
                }
                of.get(of.size() - 1).add(v);
            }
            previous = k;
        }
        h.raw("<h3>").text(what).raw("</h3>\n");
        if (runs.isEmpty()) {
            h.raw("<p>None recorded.</p>\n");
            return;
        }
        h.raw("<ul class=\"lineage\">\n");
        runs.forEach((k, of) -> {
            h.raw("<li><strong>").text(k).raw("</strong>: ");
            for (int i = 0; i < of.size(); i++) {
                List<Version> run = of.get(i);
                h.raw(i == 0 ? "" : ", ");
                link(h, run.get(0));
                if (run.size() > 1) {
                    h.raw(run.size() == 2 ? ", " : " &ndash; ");
                    link(h, run.get(run.size() - 1));
                    if (run.size() > 2) {
                        h.text(" (" + run.size() + " versions)");
                    }
                }
            }
            h.raw("</li>\n");
        });
        h.raw("</ul>\n");
    }

    private static void link(Html h, Version v) {
        h.raw("<a href=\"#").text(anchor(v)).raw("\">v").text(v.version()).raw("</a>");
    }

    /** The id of a version's row in the versions table. */
    private static String anchor(Version v) {
        return "v" + v.version();
    }

    /** A tagger's name without the address: the audit trail has both. */
    private static String name(String ident) {
        int at = ident == null ? -1 : ident.lastIndexOf(" <");
        return at > 0 && ident.endsWith(">") ? ident.substring(0, at) : ident;
    }

    /** Which version held each stage from when to when, replayed from the events in their order. */
    private static final class Span {
        final String stage;
        final String version;
        final String from;
        final String by;
        final String how;
        String to;
        /** Ended by a later event; {@code to} is that event's time, null when its tag has no date. */
        boolean closed;

        Span(String stage, String version, String from, String by, String how) {
            this.stage = stage;
            this.version = version;
            this.from = from;
            this.by = by;
            this.how = how;
        }
    }

    private static List<Span> timeline(List<Event> events) {
        List<Span> spans = new ArrayList<>();
        Map<String, Span> open = new LinkedHashMap<>();
        for (Event e : events) {
            if (e.stage() == null) {
                continue;
            }
            boolean assigns = e.event().equals("promotion") || e.event().equals("rollback");
            boolean demotes = e.event().equals("demotion");
            if (!assigns && !demotes || assigns && e.version() == null) {
                continue; // an assignment naming no version (a GTO tag on a commit of none) moves nothing, as in stages
            }
            Span current = open.get(e.stage());
            if (demotes && current != null && e.version() != null && !e.version().equals(current.version)) {
                continue; // a demotion of a version that no longer held the stage
            }
            if (current != null) {
                current.to = e.at();
                current.closed = true;
                open.remove(e.stage());
            }
            if (assigns && e.version() != null) {
                Span s = new Span(e.stage(), e.version(), e.at(), e.by(), e.event());
                spans.add(s);
                open.put(e.stage(), s);
            }
        }
        spans.sort(java.util.Comparator.comparing((Span s) -> s.stage));
        return spans;
    }

    private static String stages(Map<String, String> stages) {
        return String.join(" ", stages.entrySet().stream().map(e -> e.getKey() + "=v" + e.getValue()).toList());
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }

    private static Html head(String title, String up) {
        return new Html().raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" + GENERATOR + "\n"
                + "<meta name=\"color-scheme\" content=\"light dark\">\n<title>").text(title).raw("</title>\n<style>"
                + CSS + "</style></head>\n<body><main>\n");
    }

    private static final String CSS = String.join("\n",
            ":root { color-scheme: light dark; --fg: #1b1f24; --bg: #ffffff; --muted: #59636e; --line: #d0d7de;",
            "  --accent: #0b63c5; }",
            "@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1;",
            "  --line: #30363d; --accent: #4493f8; } }",
            "body { margin: 0; background: var(--bg); color: var(--fg); font: 15px/1.45 system-ui, sans-serif;",
            "  overflow-wrap: break-word; }",
            "main { max-width: 72rem; margin: 0 auto; padding: 1rem; }",
            "a { color: var(--accent); }",
            "nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; }",
            ".scroll { overflow-x: auto; }",
            "table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }",
            "th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line);",
            "  vertical-align: top; }",
            "figure { margin: 1rem 0; } figcaption { color: var(--muted); } .range { font-size: 0.85rem; }",
            ".charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 24rem), 1fr));",
            "  gap: 0 1.5rem; }",
            ".chart { width: 100%; height: auto; }",
            ".chart .axis { stroke: var(--line); } .chart .line { fill: none; stroke: var(--accent); stroke-width: 2; }",
            ".chart circle { fill: var(--accent); } .chart .tick { fill: var(--muted); font-size: 13px; }",
            ".chart .end { text-anchor: end; }",
            "@media (max-width: 32rem) { .chart .tick { display: none; } }",
            "@media print { .scroll { overflow: visible; } a { color: inherit; } }",
            "");
}
