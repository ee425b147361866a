package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.MverException;
import dev.mver.core.model.Metadata;
import dev.mver.core.model.ModelName;
import dev.mver.core.semver.SemVer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;

/** The read commands' answers: models, one version's record, a model's history of versions. */
public final class ModelQueries {
    private final GitRegistry registry;

    public ModelQueries(Repository repo) {
        this.registry = new GitRegistry(repo);
    }

    @JsonPropertyOrder({"model", "latest", "versions"})
    public record ModelSummary(ModelName model, String latest, int versions) {
    }

    @JsonPropertyOrder({"tag", "tagger", "tagged_at", "commit", "metadata"})
    public record VersionDetails(String tag, String tagger, String taggedAt, String commit, Metadata metadata) {
    }

    @JsonPropertyOrder({"version", "tag", "date", "tagger", "reason"})
    public record LogEntry(String version, String tag, String date, String tagger, String reason) {
    }

    /** Names only: no tag object is read, so this stays fast with thousands of versions. */
    public List<ModelSummary> list() {
        List<ModelSummary> out = new ArrayList<>();
        for (Map.Entry<ModelName, List<SemVer>> e : registry.models().entrySet()) {
            List<SemVer> v = e.getValue();
            out.add(new ModelSummary(e.getKey(), v.get(v.size() - 1).toString(), v.size()));
        }
        return out;
    }

    public VersionDetails show(VersionSpec spec) {
        Registration reg = registry.read(registry.resolve(spec));
        return new VersionDetails(reg.tag().shortName(), person(reg), time(reg.taggedAt()), reg.commit().name(),
                registry.metadata(reg));
    }

    public Metadata metadata(VersionSpec spec) {
        return registry.metadata(registry.read(registry.resolve(spec)));
    }

    public List<LogEntry> log(ModelName model) {
        List<SemVer> versions = registry.versions(model);
        if (versions.isEmpty()) {
            throw MverException.notFound("model '%s' has no registered versions", model);
        }
        List<LogEntry> out = new ArrayList<>();
        for (int i = versions.size() - 1; i >= 0; i--) {
            Registration reg = registry.read(new TagName(model, versions.get(i)));
            Metadata m = registry.metadata(reg);
            out.add(new LogEntry(m.version(), reg.tag().shortName(), time(reg.taggedAt()), person(reg), m.reason()));
        }
        return out;
    }

    /** ISO-8601 in UTC, the same on every machine. */
    private static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String person(Registration reg) {
        return reg.taggerEmail().isEmpty() ? reg.tagger() : reg.tagger() + " <" + reg.taggerEmail() + ">";
    }
}
