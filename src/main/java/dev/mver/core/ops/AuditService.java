package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.registry.EventLog;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.Origin;
import dev.mver.core.value.StageName;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;

/**
 * The governance report: per model, every version with its reason, dataset and feature set, and every stage move,
 * each with who made it and when. Everything comes from tags and committed metadata, so any clone produces it.
 */
public final class AuditService {
    private final EventLog log;

    public AuditService(Repository repo) {
        this.log = new EventLog(repo);
    }

    @JsonPropertyOrder({"number", "event", "version", "stage", "at", "by", "reason", "dataset_snapshot_id",
            "feature_set_version", "parent_version", "tag", "origin"})
    public record Row(Long number, EventType event, String version, StageName stage, String at, String by, String reason,
                      String datasetSnapshotId, String featureSetVersion, String parentVersion, String tag,
                      Origin origin) {
    }

    @JsonPropertyOrder({"model", "events"})
    public record ModelAudit(ModelName model, List<Row> events) {
    }

    /**
     * Every model's events, optionally only those from {@code since} on: in event order, so a late event with an
     * early date (a skewed clock) is never dropped from the report.
     */
    public List<ModelAudit> report(Instant since) {
        List<ModelAudit> out = new ArrayList<>();
        for (Map.Entry<ModelName, List<EventLog.Event>> m : log.all().entrySet()) {
            List<Row> rows = new ArrayList<>();
            List<EventLog.Event> events = since == null ? m.getValue() : EventLog.fromTime(m.getValue(), since);
            Map<EventLog.Event, EventLog.RecordSummary> records = log.recordSummaries(events.stream()
                    .filter(e -> e.event() == EventType.REGISTRATION && e.version() != null).toList());
            for (EventLog.Event e : events) {
                EventLog.RecordSummary meta = records.get(e);
                rows.add(new Row(e.number(), e.event(), e.version(), e.stage(), e.at(), e.by(), e.reason(),
                        meta == null ? null : meta.datasetSnapshotId(), meta == null ? null : meta.featureSetVersion(),
                        meta == null ? null : meta.parentVersion(), e.tag(), e.origin()));
            }
            if (!rows.isEmpty()) {
                out.add(new ModelAudit(m.getKey(), rows));
            }
        }
        log.saveCache();
        return out;
    }

}
