package dev.mver.core.ops;

import dev.mver.core.io.AtomicFiles;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.report.RegistryReport;
import dev.mver.core.value.EventType;
import dev.mver.core.value.SemVer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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

    public ReportService(Repository repo) {
        this.repo = repo;
    }

    /** Writes the report into {@code out}; returns the pages' paths, relative to it. */
    public List<String> write(Path out) {
        List<String> written = new ArrayList<>();
        for (RegistryReport.Page p : RegistryReport.pages(models())) {
            AtomicFiles.write(out.resolve(p.path()), p.html().getBytes(StandardCharsets.UTF_8));
            written.add(p.path());
        }
        return written;
    }

    List<RegistryReport.Model> models() {
        ModelQueries queries = new ModelQueries(repo);
        List<RegistryReport.Model> out = new ArrayList<>();
        for (ModelQueries.ModelSummary s : queries.list(false)) {
            List<EventLog.Event> history = queries.history(s.model(), true);
            Map<String, EventLog.Event> registrations = new HashMap<>();
            history.stream().filter(e -> e.event() == EventType.REGISTRATION).forEach(e -> registrations.put(e.tag(), e));
            // Metrics, dataset and feature set come from the event cache: the record of each version is read
            // once per clone, not once per report.
            Map<EventLog.Event, EventLog.RecordSummary> records = queries.recordSummaries(
                    List.copyOf(registrations.values()));
            List<RegistryReport.Version> versions = new ArrayList<>();
            SemVer previous = null;
            for (ModelQueries.LogEntry e : queries.log(s.model(), true)) {
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
            out.add(new RegistryReport.Model(s.model().value(), s.latest(), s.stages(),
                    last == null ? null : last.at(), last == null ? null : last.by(), versions, events));
        }
        return out;
    }

    /** The kind of step from the version before: major, minor, patch, or a pre-release's. */
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
        return !v.patch().equals(before.patch()) ? "patch" : "pre-release";
    }
}
