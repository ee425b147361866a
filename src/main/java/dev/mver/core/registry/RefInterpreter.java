package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.git.ShallowClone;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.EventType;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.Text;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * What a pushed tag means, for CI: a registration, promotion, rollback, demotion or deprecation, of which model,
 * version and stage. A shallow clone (the CI default) is deepened first, because events are numbered across all
 * of a model's tags.
 */
public final class RefInterpreter {
    private final Repository repo;
    private final Consumer<String> notice;

    public RefInterpreter(Repository repo, Consumer<String> notice) {
        this.repo = repo;
        this.notice = notice;
    }

    @JsonPropertyOrder({"reason", "dataset_snapshot_id", "feature_set_version", "metrics"})
    public record Summary(String reason, String datasetSnapshotId, String featureSetVersion,
                          Map<String, JsonNode> metrics) {
    }

    /**
     * A registry tag's event: {@code by}, {@code at} and {@code message} are the event's own (who promoted, when,
     * why); {@code metadata} is the version's record (why it was registered), null for a model deprecation.
     */
    @JsonPropertyOrder({"tag", "event", "model", "version", "stage", "number", "by", "at", "message", "metadata"})
    public record Interpretation(String tag, EventType event, ModelName model, String version, StageName stage, Long number,
                                 String by, String at, String message, Summary metadata) {
    }

    private boolean exists(String tagName) {
        try {
            return repo.exactRef(Constants.R_TAGS + tagName) != null;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public Interpretation interpret(String ref) {
        String name = ref.startsWith(Constants.R_TAGS) ? ref.substring(Constants.R_TAGS.length()) : ref;
        EventTag tag = EventTag.parseOrNull(name);
        if (tag == null) {
            throw MverException.notFound("'%s' is not an mver or GTO registry tag", Text.printable(ref, 100));
        }
        ShallowClone.deepen(repo, notice);
        // A read: the event cache answers for tags read before (a runner that keeps its clone, a developer).
        EventLog log = new EventLog(repo);
        EventLog.Event event = log.events(tag.model()).stream()
                .filter(e -> e.tag().equals(name)).findFirst()
                .orElseThrow(() -> MverException.notFound(exists(name)
                        ? "tag '%s' is a lightweight tag: not a registry event (GTO and mver read annotated tags only)"
                        : "tag '%s' is not in this repository (git fetch --tags)", name));
        log.saveCache();
        Summary summary = null;
        if (event.version() != null) {
            GitRegistry registry = new GitRegistry(repo);
            Metadata m = registry.metadata(registry.readAny(new TagName(tag.model(), SemVer.parse(event.version()))));
            summary = m == null ? null : new Summary(m.reason(), m.datasetSnapshotId(), m.featureSetVersion(),
                    m.metrics());
        }
        return new Interpretation(name, event.event(), tag.model(), event.version(), event.stage(),
                event.number(), event.by(), event.at(), event.reason(), summary);
    }
}
