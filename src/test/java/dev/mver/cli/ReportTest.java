package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.Elements;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mver report}: the pages, read with a real HTML parser, show the registry as it is, and only as text. */
class ReportTest {
    private static final String HOSTILE = "<script>alert(\"x\")</script> & 'quoted'";

    @TempDir
    Path tmp;
    Path repo;
    Cli cli;

    @BeforeEach
    void registry() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("m.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "m.bin", "--dataset", "snap-1",
                "--metric", "auc=0.8").ok();
        Files2.random(repo.resolve("m.bin"), 1000, 2);
        cli.run("register", "churn", "--version", "1.1.0", "-m", "no auc measured", "--dataset", "snap-1").ok();
        Files2.random(repo.resolve("m.bin"), 1000, 3);
        cli.run("register", "churn", "--version", "1.2.0", "-m", HOSTILE, "--dataset", "snap-2", "--metric", "auc=0.9",
                "--param", "note=" + HOSTILE).ok();
        cli.run("promote", "churn@v1.0.0", "production", "-m", "ship").ok();
        cli.run("promote", "churn@v1.2.0", "production", "-m", "better").ok();
        cli.run("rollback", "churn", "production", "-m", "regression").ok();
    }

    private Document page(Path out, String path) throws Exception {
        return Jsoup.parse(Files.readString(out.resolve(path)));
    }

    @Test
    void charts_timeline_lineage_and_audit_show_the_registry_and_link_up() throws Exception {
        Path out = tmp.resolve("site");
        cli.run("report", "--out", out.toString()).ok();
        Document index = page(out, "index.html");
        Element link = index.selectFirst("a[href=models/churn.html]");
        assertTrue(link != null && Files.exists(out.resolve("models/churn.html")), index.html());

        Document churn = page(out, "models/churn.html");
        assertTrue(Files.exists(out.resolve("models/churn.html").getParent().resolve(
                churn.selectFirst("a").attr("href"))), "the way back to the index resolves");
        Elements points = churn.select("svg.chart circle");
        assertEquals(List.of("v1.0.0: 0.8", "v1.2.0: 0.9"), points.stream().map(p -> p.selectFirst("title").text())
                .toList(), "one point per version that has it, its exact value in its hover title");
        assertEquals(0, churn.select("svg.chart polyline").size(), "the version without auc is a gap, not a zero");
        assertEquals("auc 0.8 \u2013 0.9, v1.0.0 \u2013 v1.2.0", churn.selectFirst("figcaption").text(),
                "the range in text, readable where the chart's labels are too small");

        List<String> production = churn.select("#stages + .scroll tbody tr").stream()
                .map(r -> r.child(0).text() + " " + r.child(1).text() + " " + r.child(3).text()).toList();
        assertEquals(3, production.size(), production.toString());
        assertTrue(production.get(2).equals("production v1.0.0 now"), "the rollback's span is open: " + production);
        assertFalse(production.get(1).endsWith("now"), production.toString());

        String lineage = churn.select("ul.lineage").first().text();
        assertTrue(lineage.contains("snap-1: v1.0.0, v1.1.0") && lineage.contains("snap-2: v1.2.0"), lineage);
        Elements inPage = churn.select("a[href^=#]");
        assertTrue(inPage.size() >= 3 + 5, "lineage links to its versions, the page to its sections");
        for (Element a : inPage) {
            assertTrue(churn.getElementById(a.attr("href").substring(1)) != null, a.attr("href") + " resolves");
        }
        assertEquals("v1.1.0", churn.getElementById("v1.1.0").child(0).text(), "a lineage link lands on its row");
        assertTrue(churn.select("#audit + .scroll tbody tr").size() >= 6, "every event");
    }

    @Test
    void values_from_records_are_text_and_nothing_is_fetched_and_the_bytes_repeat() throws Exception {
        Path out = tmp.resolve("site");
        cli.run("report", "--out", out.toString()).ok();
        String html = Files.readString(out.resolve("models/churn.html"));
        Document churn = Jsoup.parse(html);
        assertEquals(0, churn.select("script").size(), "a reason is shown, never run");
        assertTrue(churn.text().contains(HOSTILE), "shown as written");
        for (String page : List.of("index.html", "models/churn.html")) {
            String text = Files.readString(out.resolve(page));
            assertFalse(text.contains("http://") || text.contains("https://"), page + " names no network address");
            assertTrue(Jsoup.parse(text).select("[src]").isEmpty(), page + " loads nothing");
        }
        Map<String, String> first = Files2.snapshot(out);
        cli.run("report", "--out", out.toString()).ok();
        assertEquals(first, Files2.snapshot(out), "the same registry gives the same bytes");
    }

    @Test
    void a_folder_of_an_earlier_report_loses_its_stale_pages_and_another_sites_folder_is_refused() throws Exception {
        cli.in(tmp).run("-C", "repo", "report", "--out", "site").ok();
        Path out = repo.resolve("site");
        assertTrue(Files.exists(out.resolve("models/churn.html")), "--out is relative to -C's folder");
        Files.writeString(out.resolve("models/retired.html"), "an earlier report's page of a model gone since");
        cli.run("report", "--out", out.toString()).ok();
        assertFalse(Files.exists(out.resolve("models/retired.html")), "a published site drops a stale page");

        Path other = Files.createDirectories(tmp.resolve("blog"));
        Files.writeString(other.resolve("index.html"), "<html>my blog</html>");
        Cli.Result r = cli.run("report", "--out", other.toString()).fails(2);
        assertTrue(r.err().contains("index.html mver did not write"), r.err());
        assertEquals("<html>my blog</html>", Files.readString(other.resolve("index.html")), "nothing overwritten");
        assertFalse(Files.exists(other.resolve("models")));
    }

    @Test
    void versions_another_tool_registered_twice_are_one_row_and_a_retired_model_says_so() throws Exception {
        Path gto = Repos.relaxed(tmp, "gto");
        dev.mver.testing.GitBinary.git(gto, "commit", "-q", "--allow-empty", "-m", "model").ok();
        for (String tag : List.of("g@v1.0.0", "g#production#1", "g@v1.0.0!", "g@v1.0.0#2", "g@deprecated")) {
            dev.mver.testing.GitBinary.git(gto, "tag", "-a", tag, "-m", "gto").ok();
        }
        Path out = tmp.resolve("gto-site");
        new Cli(gto).run("report", "--out", out.toString()).ok();
        Document g = page(out, "models/g.html");
        assertEquals(1, g.select("#versions + .scroll tbody tr").size(), "as list counts it");
        assertEquals(1, g.select("[id=v1.0.0]").size(), "one row for a link to land on");
        Element row = page(out, "index.html").selectFirst("tbody tr");
        assertTrue(row.text().startsWith("g (deprecated)") && row.child(3).text().equals("1"), row.text());
    }

    @Test
    void a_shallow_ci_clone_is_deepened_so_every_versions_record_is_drawn() throws Exception {
        Path origin = tmp.resolve("origin.git");
        dev.mver.testing.GitBinary.git(tmp, "init", "-q", "--bare", origin.toString()).ok();
        dev.mver.testing.GitBinary.git(repo, "push", "-q", origin.toString(), "HEAD:refs/heads/main", "--tags").ok();
        Path ci = tmp.resolve("ci");
        dev.mver.testing.GitBinary.git(tmp, "clone", "-q", "--depth", "1", "--branch", "main", "file://" + origin,
                ci.toString()).ok();
        Cli.Result r = cli.in(ci).run("report", "--out", "site").ok();
        assertTrue(r.err().contains("shallow"), r.err());
        assertEquals(2, page(ci.resolve("site"), "models/churn.html").select("svg.chart circle").size(),
                "v1.0.0, whose tag a shallow clone does not fetch, is drawn too");
    }

    @Test
    void the_release_after_its_pre_releases_is_a_release_step() {
        Path pre = Repos.relaxed(tmp, "pre");
        Cli c = new Cli(pre);
        for (String v : List.of("1.0.0-rc.1", "1.0.0-rc.2", "1.0.0", "1.0.1")) {
            Files2.random(pre.resolve("m.bin"), 1000, v.hashCode());
            c.run("register", "m", "--version", v, "-m", v, "--artifact", "m.bin", "--force").ok();
        }
        Path out = tmp.resolve("pre-site");
        c.run("report", "--out", out.toString()).ok();
        List<String> bumps = new java.util.ArrayList<>();
        Jsoup.parse(Files2.read(out.resolve("models/m.html"))).select("#versions + .scroll tbody tr")
                .forEach(r -> bumps.add(r.child(0).text() + " " + r.child(6).text()));
        assertEquals(List.of("v1.0.1 patch", "v1.0.0 release", "v1.0.0-rc.2 pre-release", "v1.0.0-rc.1 first"),
                bumps);
    }

    @Test
    void the_timelines_spans_are_what_stages_at_says_at_any_moment_inside_them() throws Exception {
        Path other = Repos.relaxed(tmp, "dated");
        Cli base = new Cli(other);
        java.util.function.IntFunction<Cli> day = d -> base.withClock(java.time.Clock.fixed(
                java.time.Instant.parse("2026-03-01T10:00:00Z").plus(java.time.Duration.ofDays(d)),
                java.time.ZoneOffset.UTC));
        for (int v = 0; v < 3; v++) {
            Files2.random(other.resolve("m.bin"), 1000, 10 + v);
            day.apply(v).run("register", "m", "--version", "1." + v + ".0", "-m", "v" + v, "--artifact", "m.bin").ok();
        }
        day.apply(3).run("promote", "m@v1.0.0", "production", "-m", "a").ok();
        day.apply(4).run("promote", "m@v1.0.0", "staging", "-m", "b").ok();
        day.apply(5).run("promote", "m@v1.2.0", "production", "-m", "c").ok();
        day.apply(7).run("rollback", "m", "production", "-m", "d").ok();
        day.apply(8).run("demote", "m", "staging", "-m", "e").ok();
        Path out = tmp.resolve("dated-site");
        base.run("report", "--out", out.toString()).ok();
        org.jsoup.select.Elements rows = page(out, "models/m.html").select("#stages + .scroll tbody tr");
        assertEquals(4, rows.size(), rows.text());
        String now = base.run("stages", "m", "--json").ok().out();
        for (Element r : rows) {
            String held = "\"" + r.child(0).text() + "\": \"" + r.child(1).text().substring(1) + "\"";
            java.time.Instant from = java.time.Instant.parse(r.child(2).text());
            String inside = from.plus(java.time.Duration.ofHours(1)).toString();
            assertTrue(base.run("stages", "m", "--at", inside, "--json").ok().out().contains(held),
                    r.text() + " at " + inside);
            if (r.child(3).text().equals("now")) {
                assertTrue(now.contains(held), r.text() + " is open, so the stage holds it now: " + now);
                continue;
            }
            java.time.Instant to = java.time.Instant.parse(r.child(3).text());
            assertTrue(to.isAfter(from), r.text());
            String end = to.minus(java.time.Duration.ofHours(1)).toString();
            assertTrue(base.run("stages", "m", "--at", end, "--json").ok().out().contains(held), r.text() + " at " + end);
            String after = to.plus(java.time.Duration.ofHours(1)).toString();
            assertFalse(base.run("stages", "m", "--at", after, "--json").ok().out().contains(held), r.text());
        }
        Element newest = page(out, "models/m.html").selectFirst("#audit + .scroll tbody tr");
        assertEquals("demotion", newest.child(1).text(), "the audit trail starts with the newest event");
        assertTrue(page(out, "index.html").selectFirst("tbody tr").text().contains("2026-03-09T10:00:00Z"),
                "the index's last change is the newest event's (day 8)");
    }
}
