package dev.mver.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/** The pages hold for values, events and names a registry can hold, not only the usual ones. */
class RegistryReportTest {
    @Test
    void values_no_double_holds_are_placed_inside_the_plot_and_labelled_in_e_notation() {
        List<String> values = List.of("1e999999999", "0.5", "-1e309", "1e-400", "3e-400", "1");
        List<MetricChart.Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            points.add(new MetricChart.Point("1." + i + ".0", new BigDecimal(values.get(i))));
        }
        // Exact arithmetic on 1e999999999 and 0.5 builds a number a billion digits long: minutes, then an error.
        String svg = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> MetricChart.figure("m", points));
        Document d = Jsoup.parse(svg);
        List<Element> circles = d.select("circle");
        assertEquals(values.size(), circles.size());
        for (Element c : circles) {
            double cy = Double.parseDouble(c.attr("cy"));
            assertTrue(cy >= 18 && cy <= 164, c.outerHtml() + " is inside the plot");
        }
        assertEquals(164.0, Double.parseDouble(circles.get(2).attr("cy")), "the lowest value at the bottom");
        assertEquals(18.0, Double.parseDouble(circles.get(0).attr("cy")), "the highest at the top");
        assertEquals(List.of("1E+999999999", "-1E+309"), d.select("text.tick").eachText().subList(0, 2));
        assertEquals("v1.3.0: 1E-400", circles.get(3).selectFirst("title").text());
        assertEquals("v1.1.0: 0.5", circles.get(1).selectFirst("title").text(), "ordinary values are written out");
    }

    private static RegistryReport.Event event(long n, String kind, String version, String at) {
        return new RegistryReport.Event(n, kind, version, "production", "m#production#" + n, "Dana", at, "r");
    }

    @Test
    void an_assignment_naming_no_version_moves_nothing_as_in_stages() {
        RegistryReport.Version v = new RegistryReport.Version("1.0.0", "2026-11-01T00:00:00Z", "Dana", "r", null,
                null, "first", List.of("production"), false, Map.of());
        RegistryReport.Model m = new RegistryReport.Model("m", "1.0.0", Map.of("production", "1.0.0"), false, null,
                null, List.of(v), List.of(event(2, "promotion", "1.0.0", "2026-11-02T00:00:00Z"),
                        event(10, "promotion", null, "2026-11-03T00:00:00Z")));
        Document page = Jsoup.parse(RegistryReport.pages(List.of(m)).get(1).html());
        assertEquals(List.of("production v1.0.0 2026-11-02T00:00:00Z now Dana promotion"),
                page.select("#stages + .scroll tbody tr").eachText());
    }

    @Test
    void a_span_ended_by_a_tag_without_a_date_is_not_shown_as_open() {
        RegistryReport.Model m = new RegistryReport.Model("m", "1.1.0", Map.of("production", "1.1.0"), false, null,
                null, List.of(), List.of(event(2, "promotion", "1.0.0", "2026-11-02T00:00:00Z"),
                        event(3, "promotion", "1.1.0", null)));
        Document page = Jsoup.parse(RegistryReport.pages(List.of(m)).get(1).html());
        assertEquals(List.of("production v1.0.0 2026-11-02T00:00:00Z ? Dana promotion",
                "production v1.1.0 now Dana promotion"), page.select("#stages + .scroll tbody tr").eachText());
    }

    @Test
    void models_named_alike_but_for_case_get_pages_a_case_insensitive_disk_keeps_apart() {
        List<RegistryReport.Model> models = List.of(
                new RegistryReport.Model("Churn", null, Map.of(), false, null, null, List.of(), List.of()),
                new RegistryReport.Model("churn", null, Map.of(), false, null, null, List.of(), List.of()));
        List<RegistryReport.Page> pages = RegistryReport.pages(models);
        List<String> paths = pages.stream().map(RegistryReport.Page::path).toList();
        assertEquals(List.of("index.html", "models/Churn.html", "models/churn~2.html"), paths);
        assertEquals(List.of("models/Churn.html", "models/churn~2.html"),
                Jsoup.parse(pages.get(0).html()).select("tbody a").eachAttr("href"), "the index links each page");
    }
}
