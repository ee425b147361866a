package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.AuditService;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Governance report: per model, versions with reasons, datasets and feature "
        + "sets, stage moves, and who made each change.")
final class AuditCommand extends BaseCommand {
    enum AuditFormat { json, csv, md }

    @Option(names = "--format", paramLabel = "json|csv|md", description = "Output format (default: md).")
    AuditFormat format = AuditFormat.md;

    @Option(names = "--since", paramLabel = "DATE", description = "Only events at or after this ISO-8601 date or date-time.")
    String since;

    @Option(names = "--json", description = "Same as --format json.")
    boolean json;

    static final String[] HEADER = {"model", "number", "event", "version", "stage", "at", "by", "reason",
            "dataset_snapshot_id", "feature_set_version", "parent_version", "tag", "origin"};

    @Override
    public Integer call() {
        Instant since = parseSince();
        try (Mver mver = mver()) {
            List<AuditService.ModelAudit> report = mver.audit(since);
            if (json || format == AuditFormat.json) {
                return json(report);
            }
            if (format == AuditFormat.csv) {
                out().print(String.join(",", HEADER) + "\r\n");
                for (AuditService.ModelAudit m : report) {
                    for (AuditService.Row r : m.events()) {
                        String[] cells = cells(m, r);
                        StringBuilder line = new StringBuilder();
                        for (int i = 0; i < cells.length; i++) {
                            line.append(i == 0 ? "" : ",").append(csv(cells[i]));
                        }
                        out().print(line + "\r\n");
                    }
                }
            } else {
                out().println("# Model registry audit");
                for (AuditService.ModelAudit m : report) {
                    out().println();
                    out().println("## " + m.model());
                    out().println();
                    out().println("| # | event | version | stage | at | by | reason | dataset | feature set |");
                    out().println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
                    for (AuditService.Row r : m.events()) {
                        String[] c = cells(m, r);
                        out().println("| " + md(c[1]) + " | " + md(c[2] + Format.origin(r.origin())) + " | " + md(c[3]) + " | " + md(c[4]) + " | "
                                + md(c[5]) + " | " + md(c[6]) + " | " + md(c[7]) + " | " + md(c[8]) + " | " + md(c[9]) + " |");
                    }
                }
            }
            out().flush();
            return 0;
        }
    }

    private static String[] cells(AuditService.ModelAudit m, AuditService.Row r) {
        return new String[] {m.model().value(), r.number() == null ? "" : r.number().toString(), r.event().id(),
                r.version(), r.stage() == null ? null : r.stage().value(), r.at(), r.by(), r.reason(), r.datasetSnapshotId(), r.featureSetVersion(),
                r.parentVersion(), r.tag(), r.origin().id()};
    }

    private Instant parseSince() {
        if (since == null) {
            return null;
        }
        try {
            return LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(since).toInstant();
            } catch (DateTimeParseException e2) {
                throw MverException.usage("--since '%s' is not an ISO-8601 date (2026-11-01) or date-time",
                        Text.printable(since, 40));
            }
        }
    }

    /** RFC 4180: quote fields with commas, quotes or line breaks; formula-leading characters are neutralised. */
    static String csv(String s) {
        if (s == null) {
            return "";
        }
        String v = !s.isEmpty() && "=+-@".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
        return v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")
                ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }

    static String md(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>");
    }
}
