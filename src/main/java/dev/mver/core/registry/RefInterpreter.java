package dev.mver.core.registry;

import dev.mver.core.value.StageName;
import dev.mver.core.value.EventType;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.TagName;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;

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

    @JsonPropertyOrder({"tag", "event", "model", "version", "stage", "number", "by", "at", "metadata"})
    public record Interpretation(String tag, EventType event, ModelName model, String version, StageName stage, Long number,
                                 String by, String at, Summary metadata) {
    }

    public Interpretation interpret(String ref) {
        String name = ref.startsWith(Constants.R_TAGS) ? ref.substring(Constants.R_TAGS.length()) : ref;
        EventTag tag = EventTag.parseOrNull(name);
        if (tag == null) {
            throw MverException.notFound("'%s' is not an mver or GTO registry tag", Text.printable(ref, 100));
        }
        ensureFullHistory();
        EventLog.Event event = new EventLog(repo).events(tag.model()).stream()
                .filter(e -> e.tag().equals(name)).findFirst()
                .orElseThrow(() -> MverException.notFound("tag '%s' is not in this repository (git fetch --tags)", name));
        Summary summary = null;
        if (event.version() != null) {
            try {
                GitRegistry registry = new GitRegistry(repo);
                Metadata m = registry.metadata(registry.read(new TagName(tag.model(), SemVer.parse(event.version()))));
                summary = new Summary(m.reason(), m.datasetSnapshotId(), m.featureSetVersion(), m.metrics());
            } catch (MverException e) {
                if (e.exitCode() == ExitCode.INTEGRITY && !e.getMessage().contains("no mver payload")) {
                    throw e;
                }
            }
        }
        return new Interpretation(name, event.event(), tag.model(), event.version(), event.stage(),
                event.number(), event.by(), event.at(), summary);
    }

    /**
     * CI checkouts are shallow and carry only the pushed tag; event numbers and stage occupants need every tag.
     * Deepen from origin when possible, otherwise explain.
     */
    public void ensureFullHistory() {
        boolean shallow;
        try {
            shallow = !repo.getObjectDatabase().getShallowCommits().isEmpty();
        } catch (IOException e) {
            shallow = false;
        }
        if (!shallow) {
            return;
        }
        if (!repo.getRemoteNames().contains("origin")) {
            throw MverException.notFound("this is a shallow clone without a remote to deepen it from; clone with "
                    + "full history and tags (actions/checkout: fetch-depth: 0; GitLab: GIT_DEPTH: 0)");
        }
        notice.accept("shallow clone detected (the CI default): fetching full history and tags from origin");
        try (Git git = new Git(repo)) {
            git.fetch().setRemote("origin").setUnshallow(true)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/origin/*"), new RefSpec("refs/tags/*:refs/tags/*"))
                    .call();
        } catch (GitAPIException e) {
            throw new MverException(ExitCode.REMOTE, "this is a shallow clone and deepening it failed ("
                    + Text.printable(String.valueOf(e.getMessage()), 150) + "); run git fetch --unshallow "
                    + "--tags, or clone with full history (actions/checkout: fetch-depth: 0)", e);
        }
    }
}
