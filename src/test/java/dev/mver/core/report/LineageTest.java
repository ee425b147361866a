package dev.mver.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

/** Lineage lists each snapshot's versions as runs of neighbours, each end a link to its row. */
class LineageTest {
    private static RegistryReport.Version version(int minor, String dataset) {
        return new RegistryReport.Version("1." + minor + ".0", "2026-11-0" + 1 + "T00:00:00Z", "Dana <d@example.com>",
                "r", dataset, null, "minor", List.of(), false, Map.of());
    }

    @Test
    void neighbouring_versions_on_one_snapshot_are_a_range_and_every_end_links_to_its_row() {
        List<RegistryReport.Version> versions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            versions.add(version(i, "snap-1"));
        }
        versions.add(version(5, "snap-2"));
        versions.add(version(6, "snap-1"));
        versions.add(version(7, null));
        versions.add(version(8, "snap-2"));
        versions.add(version(9, "snap-2"));
        RegistryReport.Model m = new RegistryReport.Model("m", "1.9.0", Map.of(), false, null, null, versions,
                List.of());
        Document page = Jsoup.parse(RegistryReport.pages(List.of(m)).get(1).html());
        List<String> items = page.select("ul.lineage").first().children().eachText();
        assertEquals(List.of("snap-1: v1.0.0 \u2013 v1.4.0 (5 versions), v1.6.0", "snap-2: v1.5.0, v1.8.0, v1.9.0"),
                items);
        page.select("ul.lineage a").forEach(a -> assertEquals(a.text(),
                page.getElementById(a.attr("href").substring(1)).child(0).text()));
        assertEquals("Dana", page.getElementById("v1.0.0").child(2).text(), "the versions table names the tagger");
    }
}
