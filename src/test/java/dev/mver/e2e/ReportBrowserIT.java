package dev.mver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Chromium;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mver report} opened in a real headless Chromium from {@code file://}: what the browser rendered, how the
 * pages look at a desktop's and a phone's width (the README's picture is the desktop one), and what a reader would
 * notice going wrong: a console error, a page wider than the phone, the dark-mode or print preference ignored.
 */
class ReportBrowserIT {
    static final int PHONE = 390;
    static final int DESKTOP = 1280;
    /** A reason, a dataset id and a parameter no phone can show in one line, and markup that must stay text. */
    static final String LONG = "retrained_on_" + "x".repeat(240);
    static final String HOSTILE = "<script>alert('x')</script> & \"quoted\"";

    @TempDir
    static Path tmp;
    static Path site;
    static Path chromium;

    @BeforeAll
    static void registryAndReport() {
        chromium = Chromium.binary();
        Path repo = Repos.relaxed(tmp, "repo");
        Map<String, String> env = new HashMap<>(Cli.testEnv());
        env.putAll(Map.of("GIT_COMMITTER_NAME", "Dana Reyes", "GIT_COMMITTER_EMAIL", "dana@example.com",
                "GIT_AUTHOR_NAME", "Dana Reyes", "GIT_AUTHOR_EMAIL", "dana@example.com"));
        Cli base = new Cli(repo).withEnv(env);
        Instant start = Instant.parse("2026-06-01T09:30:00Z");
        int[] day = {0};
        java.util.function.Supplier<Cli> next = () -> base.withClock(Clock.fixed(start.plus(Duration.ofDays(
                7L * day[0]++)), ZoneOffset.UTC));

        // A model as a team grows it: retrained monthly, a feature-set change, stages moved and one rollback.
        String[][] churn = {
            {"1.0.0", "first model for the retention team", "snap-2026-06", "fs-3", "0.812", "0.441"},
            {"1.1.0", "retrained on the July snapshot", "snap-2026-07", "fs-3", "0.825", "0.429"},
            {"1.2.0", "retrained on the August snapshot", "snap-2026-08", "fs-3", "0.831", "0.422"},
            {"1.2.1", "max_depth 6 -> 7", "snap-2026-08", "fs-3", "0.829", "0.424"},
            {"2.0.0", "tenure and support-ticket features (fs-4)", "snap-2026-08", "fs-4", "0.846", "0.405"},
            {"2.1.0", "retrained on the September snapshot", "snap-2026-09", "fs-4", "0.851", "0.398"},
            {"2.1.1", "learning rate 0.1 -> 0.05", "snap-2026-09", "fs-4", "0.853", "0.395"},
            {"2.2.0", "retrained on the October snapshot", "snap-2026-10", "fs-4", "0.866", "0.384"},
            {"2.3.0", "retrained on the November snapshot", "snap-2026-11", "fs-4", "0.871", "0.379"},
        };
        String trained = null;
        for (int i = 0; i < churn.length; i++) {
            String[] v = churn[i];
            boolean patch = !v[0].endsWith(".0");
            List<String> args = new java.util.ArrayList<>(List.of("register", "churn", "--version", v[0], "-m", v[1],
                    "--dataset", v[2], "--feature-set", v[3], "--metric", "auc=" + v[4], "--metric", "logloss=" + v[5]));
            if (patch) { // a parameter tweak: the same training run's date, new parameters
                args.addAll(List.of("--training-date", trained, "--param", "max_depth=" + (6 + i)));
            } else {
                Files2.random(repo.resolve("churn.bin"), 4096, 100 + i);
                trained = start.plus(Duration.ofDays(7L * day[0])).toString();
            }
            if (i == 0) {
                args.addAll(List.of("--artifact", "churn.bin"));
            }
            next.get().run(args.toArray(String[]::new)).ok();
            switch (v[0]) {
                case "1.0.0" -> next.get().run("promote", "churn@v1.0.0", "production", "-m", "first release").ok();
                case "1.2.0" -> next.get().run("promote", "churn@v1.2.0", "production", "-m", "better recall").ok();
                case "2.0.0" -> next.get().run("promote", "churn@v2.0.0", "staging", "-m", "shadow traffic").ok();
                case "2.1.0" -> {
                    next.get().run("promote", "churn@v2.1.0", "production", "-m", "passed shadow").ok();
                    next.get().run("rollback", "churn", "production", "-m", "latency regression").ok();
                }
                case "2.2.0" -> next.get().run("promote", "churn@v2.2.0", "production", "-m", "latency fixed").ok();
                case "2.3.0" -> next.get().run("promote", "churn@v2.3.0", "staging", "-m", "candidate").ok();
                default -> {
                }
            }
        }
        next.get().run("deprecate", "churn@v1.0.0", "-m", "superseded").ok();

        // One made to break layouts and escaping.
        Files2.random(repo.resolve("fraud.bin"), 4096, 200);
        next.get().run("register", "fraud-detector", "--version", "1.0.0", "-m", LONG + "\n" + HOSTILE,
                "--artifact", "fraud.bin", "--dataset", LONG, "--metric", "precision_at_1_percent_false_positive_rate"
                        + "_on_the_holdout_set=0.5", "--param", "note=" + HOSTILE).ok();
        next.get().run("promote", "fraud-detector@v1.0.0", "production", "-m", LONG).ok();

        site = tmp.resolve("site");
        base.run("report", "--out", site.toString()).ok();
    }

    static final List<String> PAGES = List.of("index.html", "models/churn.html", "models/fraud-detector.html");

    static URI url(String page) {
        return site.resolve(page).toUri();
    }

    @Test
    void the_dom_chromium_renders_from_file_holds_the_charts_tables_and_text() throws Exception {
        Document index = Jsoup.parse(Chromium.dumpDom(chromium, tmp, url("index.html")));
        assertEquals(List.of("churn", "fraud-detector"), index.select("tbody tr td:first-child a").eachText());

        Document churn = Jsoup.parse(Chromium.dumpDom(chromium, tmp, url("models/churn.html")));
        assertEquals(List.of("v1.0.0: 0.812", "v1.1.0: 0.825"), churn.select("svg.chart").get(0).select("circle title")
                .eachText().subList(0, 2), "auc: a point per version, its value on hover");
        assertEquals(9, churn.select("svg.chart").get(1).select("circle").size(), "logloss: every version");
        assertEquals(9, churn.select("#versions + .scroll tbody tr").size());
        assertTrue(churn.select("#stages + .scroll tbody tr").eachText().stream()
                .anyMatch(r -> r.startsWith("production v1.2.0") && r.endsWith("rollback")), "the rollback's span");

        Document fraud = Jsoup.parse(Chromium.dumpDom(chromium, tmp, url("models/fraud-detector.html")));
        assertTrue(fraud.text().contains(HOSTILE), "markup from a record is text in the rendered page");
        assertEquals(0, fraud.select("script").size());
    }

    @Test
    void screenshots_at_desktop_and_phone_width_and_the_readme_picture_is_the_desktop_one() throws Exception {
        Path shots = Files.createDirectories(Path.of("target", "screenshots"));
        Path desktop = shots.resolve("report-desktop.png");
        Path phone = shots.resolve("report-phone.png");
        Chromium.screenshot(chromium, tmp, url("models/churn.html"), DESKTOP, 1000, desktop);
        Chromium.screenshot(chromium, tmp, url("models/churn.html"), PHONE, 844, phone);
        BufferedImage d = ImageIO.read(desktop.toFile());
        BufferedImage p = ImageIO.read(phone.toFile());
        assertEquals(DESKTOP, d.getWidth());
        assertEquals(PHONE, p.getWidth());
        assertTrue(colours(d) > 8 && colours(p) > 8, "the pages drew something");
        if (Boolean.getBoolean("mver.updateScreenshot")) {
            Files.copy(desktop, Path.of("docs", "report.png"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path readme = Path.of("docs", "report.png");
        assertTrue(Files.size(readme) < 200 * 1024, "the README's picture stays small: " + Files.size(readme));
        assertEquals(DESKTOP, ImageIO.read(readme.toFile()).getWidth(), "the README's picture is this screenshot");
        assertTrue(Files.readString(Path.of("README.md")).contains("(docs/report.png)"), "the README shows it");
    }

    private static int colours(BufferedImage image) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                seen.add(image.getRGB(x, y));
            }
        }
        return seen.size();
    }

    @Test
    void no_page_logs_a_console_error_or_overflows_a_phone_and_each_follows_dark_mode_and_print() throws Exception {
        try (Chromium browser = Chromium.launch(chromium, tmp)) {
            for (String page : PAGES) {
                Chromium.Loaded phone = browser.open(url(page), PHONE, 844, true, "light", "screen");
                assertEquals(List.of(), phone.errors(), page + ": console errors");
                // A phone widens its layout viewport to fit a page that overflows, so the phone's own width is the
                // measure.
                assertTrue(phone.scrollWidth() <= PHONE, page + " is " + phone.scrollWidth() + " px wide on a "
                        + PHONE + " px phone");
                assertEquals("rgb(255, 255, 255)", phone.background(), page);
                assertEquals(PHONE, ImageIO.read(new ByteArrayInputStream(phone.png())).getWidth());

                Chromium.Loaded dark = browser.open(url(page), PHONE, 844, true, "dark", "screen");
                assertEquals("rgb(13, 17, 23)", dark.background(), page + " follows the reader's dark mode");
                assertTrue(dark.scrollWidth() <= PHONE, page + " in dark mode");

                Chromium.Loaded desktop = browser.open(url(page), DESKTOP, 900, false, "light", "screen");
                assertEquals(List.of(), desktop.errors(), page);
                assertTrue(desktop.scrollWidth() <= desktop.viewportWidth(), page + " on a desktop");
                assertEquals("auto", desktop.tableOverflow(), page + ": wide tables scroll on screen");

                Chromium.Loaded print = browser.open(url(page), DESKTOP, 900, false, "light", "print");
                assertEquals("visible", print.tableOverflow(), page + ": printed tables are not cut to a scroll box");
            }
        }
    }

    @Test
    void the_checks_see_an_error_and_an_overflow_when_a_page_has_them() throws Exception {
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<!DOCTYPE html><html><head><meta name=\"viewport\" content=\"width=device-width\">"
                + "</head><body><img src=\"missing.png\"><div style=\"width:2000px\">wide</div></body></html>");
        try (Chromium browser = Chromium.launch(chromium, tmp)) {
            Chromium.Loaded loaded = browser.open(bad.toUri(), PHONE, 844, true, "light", "screen");
            assertFalse(loaded.errors().isEmpty(), "a resource that failed to load is a console error");
            assertTrue(loaded.scrollWidth() > PHONE, loaded.scrollWidth() + " px");
        }
    }
}
