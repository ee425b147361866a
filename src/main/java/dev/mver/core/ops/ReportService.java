package dev.mver.core.ops;

import dev.mver.core.io.AtomicFiles;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.report.RegistryReport;
import dev.mver.core.value.EventType;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Repository;

/** {@code mver report}: the registry read once, the pages of {@link RegistryReport} written into a folder. */
public final class ReportService {
    private final Repository repo;
    private final java.util.function.Consumer<String> notice;

    public ReportService(Repository repo, java.util.function.Consumer<String> notice) {
        this.repo = repo;
        this.notice = notice;
    }

    /** Writes the report into {@code out}; returns the pages' paths, relative to it. */
    public List<String> write(Path out) {
        List<Path> earlier = earlierPages(out);
        // A shallow clone lacks older versions' tags and the commits their records are in: the report would show
        // the newest versions as if they were all.
        dev.mver.core.git.ShallowClone.deepen(repo, notice);
        List<String> written = new ArrayList<>();
        for (RegistryReport.Page p : RegistryReport.pages(models())) {
            AtomicFiles.write(out.resolve(p.path()), p.html().getBytes(StandardCharsets.UTF_8));
            written.add(p.path());
        }
        for (Path stale : earlier) {
            if (!written.contains(out.relativize(stale).toString().replace('\\', '/'))) {
                try {
                    Files.deleteIfExists(stale); // a page of a model no longer listed: a published site drops it
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + stale + ": " + e.getMessage(), e);
                }
            }
        }
        return written;
    }

    /**
     * The model pages an earlier report left in {@code out}, to be replaced; a folder whose {@code index.html} mver
     * did not write is refused before anything is written, since the report would overwrite it.
     */
    private static List<Path> earlierPages(Path out) {
        Path index = out.resolve("index.html");
        if (!Files.exists(index)) {
            return List.of();
        }
        try {
            String text;
            try {
                text = Files.readString(index, StandardCharsets.UTF_8);
            } catch (java.nio.charset.MalformedInputException notText) {
                text = ""; // not UTF-8: not a page mver wrote
            }
            if (!text.contains(RegistryReport.GENERATOR)) {
                throw MverException.usage("%s holds an index.html mver did not write; give an empty folder or an "
                        + "earlier report's", out);
            }
            Path models = out.resolve("models");
            if (!Files.isDirectory(models, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return List.of();
            }
            try (var pages = Files.list(models)) {
                return pages.filter(p -> p.getFileName().toString().endsWith(".html")
                        && Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).sorted().toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + out + ": " + e.getMessage(), e);
        }
    }

    List<RegistryReport.Model> models() {
        ModelQueries queries = new ModelQueries(repo);
        List<RegistryReport.Model> out = new ArrayList<>();
        for (ModelQueries.ModelSummary s : queries.list(false)) {
            List<EventLog.Event> history = queries.history(s.model(), true);
            Map<String, EventLog.Event> registrations = new HashMap<>();
            Map<String, String> newest = new HashMap<>(); // version -> the tag of its latest registration
            history.stream().filter(e -> e.event() == EventType.REGISTRATION).forEach(e -> {
                registrations.put(e.tag(), e);
                newest.put(e.version(), e.tag());
            });
            // Metrics, dataset and feature set come from the event cache: the record of each version is read
            // once per clone, not once per report.
            Map<EventLog.Event, EventLog.RecordSummary> records = queries.recordSummaries(
                    List.copyOf(registrations.values()));
            List<RegistryReport.Version> versions = new ArrayList<>();
            SemVer previous = null;
            for (ModelQueries.LogEntry e : queries.log(s.model(), true)) {
                if (!e.tag().equals(newest.getOrDefault(e.version(), e.tag()))) {
                    continue; // a version GTO registered again (NAME@vX.Y.Z#N) is one row, as list counts it
                }
                SemVer v = SemVer.parse(e.version());
                EventLog.Event reg = registrations.get(e.tag());
                EventLog.RecordSummary m = reg == null ? null : records.get(reg);
                Map<String, BigDecimal> metrics = new TreeMap<>();
                if (m != null) {
                    m.metrics().forEach((k, node) -> {
                        if (node.isNumber()) {
                            metrics.put(k, node.decimalValue());
                        }
                    });
                }
                versions.add(new RegistryReport.Version(e.version(), e.date(), e.tagger(), e.reason(),
                        m == null ? null : m.datasetSnapshotId(), m == null ? null : m.featureSetVersion(),
                        bump(previous, v), e.stages(), e.deprecated(), metrics));
                previous = v;
            }
            List<RegistryReport.Event> events = new ArrayList<>();
            for (EventLog.Event e : history) {
                events.add(new RegistryReport.Event(e.number(), e.event().id(), e.version(),
                        e.stage() == null ? null : e.stage().value(), e.tag(), e.by(), e.at(), e.reason()));
            }
            RegistryReport.Event last = events.isEmpty() ? null : events.get(events.size() - 1);
            out.add(new RegistryReport.Model(s.model().value(), s.latest(), s.stages(), s.deprecated(),
                    last == null ? null : last.at(), last == null ? null : last.by(), versions, events));
        }
        return out;
    }

    /** The kind of step from the version before: major, minor, patch, pre-release, release or build. */
    private static String bump(SemVer before, SemVer v) {
        if (before == null) {
            return "first";
        }
        if (!v.major().equals(before.major())) {
            return "major";
        }
        if (!v.minor().equals(before.minor())) {
            return "minor";
        }
        if (!v.patch().equals(before.patch())) {
            return "patch";
        }
        // The same MAJOR.MINOR.PATCH: a pre-release after another, the release after its pre-releases, or a step in
        // build metadata alone.
        return v.isPreRelease() ? "pre-release" : before.isPreRelease() ? "release" : "build";
    }
}
