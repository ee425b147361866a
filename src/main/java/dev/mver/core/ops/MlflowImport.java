package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mver.core.io.FileTrees;
import dev.mver.core.mlflow.MlflowStore;
import dev.mver.core.registry.EventLog;
import dev.mver.core.value.Environment;
import dev.mver.core.value.Json;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An MLflow file store's registry brought into mver, one registered model at a time: every version a registration
 * (its model folder hashed into the cache, pointers where {@code into} says; its run's params, latest metrics,
 * start time and tags in the record), then the registry's stages and aliases as stage events in time order.
 *
 * <p>Each step is one of mver's own atomic writes and carries a marker in its reason ({@code [mlflow:NAME/N]},
 * {@code [mlflow:NAME/N/Production/TIME]}): a second run finds the markers in the model's history and writes
 * nothing again, and a run cut short (killed, refused) goes on from the first step not done. MLflow keeps no history
 * of stage moves, only each version's current stage and when it last changed, and no time for an alias (the
 * registered model's last update stands in); the original time and user go into the reason, so {@code history}
 * shows them beside the tag's own time, the import's.
 */
public final class MlflowImport {
    /** What to import and how to name it. */
    public record Options(List<String> models, String into, boolean majorPerVersion, Map<String, String> stageMap,
                          boolean dryRun) {
        public Options {
            models = models == null ? List.of() : List.copyOf(models);
            stageMap = stageMap == null ? Map.of() : Map.copyOf(stageMap);
        }
    }

    /** One step of the plan: what it is, for which MLflow version, and what became of it. */
    @JsonPropertyOrder({"model", "mlflow_model", "mlflow_version", "action", "tag", "stage", "status", "detail"})
    public record Step(ModelName model, String mlflowModel, int mlflowVersion, String action, String tag,
                       String stage, String status, String detail) {
    }

    /** Every step, in order; {@code imported} counts what this run wrote. */
    @JsonPropertyOrder({"store", "dry_run", "imported", "already", "not_imported", "steps"})
    public record Report(String store, boolean dryRun, int imported, int already, int notImported, List<Step> steps) {
    }

    /** The writes an import makes, as mver's commands make them (clock checks, locks, events). */
    public interface Writers {
        void register(RegisterRequest request, MetadataInput metadata);

        void promote(VersionSpec version, StageName stage, String reason);

        void deprecate(VersionSpec version, String reason);
    }

    private final Workspace ws;
    private final java.util.function.Supplier<EventLog> events;
    private final Writers writers;
    private final java.util.function.Consumer<String> progress;

    public MlflowImport(Workspace ws, java.util.function.Supplier<EventLog> events, Writers writers,
                        java.util.function.Consumer<String> progress) {
        this.ws = ws;
        this.events = events;
        this.writers = writers;
        this.progress = progress;
    }

    public Report run(MlflowStore store, Options options) {
        List<MlflowStore.RegisteredModel> models = store.models();
        Set<String> wanted = new HashSet<>(options.models());
        for (String name : wanted) {
            if (models.stream().noneMatch(m -> m.name().equals(name))) {
                throw MverException.usage("the MLflow store has no registered model '%s' (it has: %s)", name,
                        models.isEmpty() ? "none" : String.join(", ", models.stream()
                                .map(MlflowStore.RegisteredModel::name).toList()));
            }
        }
        if (models.isEmpty()) {
            throw MverException.usage("%s holds no registered model (models/NAME/meta.yaml): nothing to import",
                    store.root());
        }
        // Checked before anything is written: a refusal part way would leave a half import behind.
        for (Map.Entry<String, String> e : options.stageMap().entrySet()) {
            if (!e.getValue().equals("-") && (!StageName.isValid(e.getValue())
                    || !ws.config().allowedStages().contains(StageName.of(e.getValue())))) {
                throw MverException.usage("--stage-map %s=%s: '%s' is not a configured stage (configured: %s; '-' "
                        + "leaves %s out)", e.getKey(), e.getValue(), e.getValue(), String.join(", ",
                        ws.config().allowedStages().stream().map(StageName::value).toList()), e.getKey());
            }
        }
        Map<ModelName, String> names = new TreeMap<>();
        for (MlflowStore.RegisteredModel m : models) {
            if (wanted.isEmpty() || wanted.contains(m.name())) {
                String other = names.put(modelName(m.name()), m.name());
                if (other != null) {
                    throw MverException.usage("the MLflow models '%s' and '%s' would both be mver's %s; import one "
                            + "of them with --model", other, m.name(), modelName(m.name()));
                }
            }
        }
        List<Step> steps = new ArrayList<>();
        for (MlflowStore.RegisteredModel m : models) {
            if (wanted.isEmpty() || wanted.contains(m.name())) {
                importModel(store, m, options, steps);
            }
        }
        int imported = (int) steps.stream().filter(s -> s.status().equals("imported")).count();
        int already = (int) steps.stream().filter(s -> s.status().equals("already")).count();
        return new Report(store.root().toString(), options.dryRun(), imported, already,
                steps.size() - imported - already - (int) steps.stream().filter(s -> s.status().equals("planned"))
                        .count(), steps);
    }

    /** An MLflow name as an mver model name: lower case, anything outside the grammar a '-'. */
    static ModelName modelName(String mlflowName) {
        String s = mlflowName.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_/-]+", "-")
                .replaceAll("/+", "/").replaceAll("(^|/)[-_]+", "$1").replaceAll("[-_]+($|/)", "$1");
        if (!ModelName.isValid(s)) {
            throw MverException.usage("the MLflow model name '%s' has no mver form; import the others with --model",
                    mlflowName);
        }
        return ModelName.of(s);
    }

    /** MLflow's version N: 1.0.0 then minor bumps (N is 1.(N-1).0), or N.0.0 with {@code majorPerVersion}. */
    static SemVer semver(int n, boolean majorPerVersion) {
        return majorPerVersion ? SemVer.of(n, 0, 0) : SemVer.of(1, n - 1, 0);
    }

    private void importModel(MlflowStore store, MlflowStore.RegisteredModel m, Options o, List<Step> steps) {
        ModelName model = modelName(m.name());
        RepoPath into = RepoPath.of(o.into() == null ? "models/" + model.value() : o.into().replace("NAME",
                model.value()));
        Set<String> done = markers(model);
        Set<Integer> present = new HashSet<>();
        List<SemVer> existing = new dev.mver.core.registry.GitRegistry(ws.repository()).versions(model);
        boolean placed = false;
        for (MlflowStore.Version v : m.versions()) {
            String marker = "mlflow:" + m.name() + "/" + v.number();
            TagName tag = new TagName(model, semver(v.number(), o.majorPerVersion()));
            if (done.contains(marker)) {
                present.add(v.number());
                steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "already", null));
                continue;
            }
            Path source;
            try {
                source = store.localSource(v);
            } catch (MverException e) {
                steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "not-imported",
                        e.getMessage()));
                continue;
            }
            if (source == null) {
                steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "not-local",
                        "its bytes are at " + v.location() + ", not in a local folder: fetch them into the store "
                                + "(or copy the folder there) and import again"));
                continue;
            }
            SemVer newest = existing.isEmpty() ? null : existing.get(existing.size() - 1);
            if (newest != null && tag.version().compareTo(newest) <= 0) {
                steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "not-imported",
                        (tag.version().equals(newest) ? tag + " is taken" : "v" + newest + " is registered already")
                                + " and versions never go back: import into another model, or with "
                                + "--major-per-version into a new range"));
                continue;
            }
            if (o.dryRun()) {
                present.add(v.number());
                steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "planned",
                        "from " + source));
                continue;
            }
            if (!placed) {
                requireReplaceable(into, store, m);
                placed = true;
            }
            progress.accept("importing " + m.name() + " version " + v.number() + " as " + tag);
            MlflowStore.Run run = store.run(v.runId());
            place(source, into);
            String user = v.userId() != null && !v.userId().isBlank() ? v.userId() : run == null ? null : run.userId();
            String reason = "imported from MLflow: " + m.name() + " version " + v.number() + " (registered "
                    + Instant.ofEpochMilli(v.created()) + (user == null ? "" : " by " + user) + ")"
                    + (v.description() == null || v.description().isBlank() ? "" : "\n\n" + v.description().strip())
                    + "\n\n[" + marker + "]";
            writers.register(new RegisterRequest(model, RegisterRequest.VersionChoice.exactly(tag.version()
                    .toString()), reason, List.of(ws.root().resolve(into.value()).toString()), null, true),
                    metadata(store, m, v, run, user));
            present.add(v.number());
            existing = new ArrayList<>(existing);
            existing.add(tag.version());
            steps.add(new Step(model, m.name(), v.number(), "register", tag.shortName(), null, "imported",
                    "from " + source));
        }
        stageEvents(m, model, o, present, done, steps);
    }

    /** The stage moves MLflow's registry holds now, in time order: stages, archived versions, aliases. */
    private void stageEvents(MlflowStore.RegisteredModel m, ModelName model, Options o, Set<Integer> present,
                             Set<String> done, List<Step> steps) {
        record Move(long at, int version, String what, boolean alias) {
        }
        List<Move> moves = new ArrayList<>();
        for (MlflowStore.Version v : m.versions()) {
            if (!v.stage().equals("None")) {
                moves.add(new Move(v.updated(), v.number(), v.stage(), false));
            }
        }
        m.aliases().forEach((alias, version) -> moves.add(new Move(m.updated(), version, alias, true)));
        moves.sort(Comparator.comparingLong(Move::at).thenComparingInt(Move::version).thenComparing(Move::what));
        for (Move mv : moves) {
            TagName tag = new TagName(model, semver(mv.version(), o.majorPerVersion()));
            // No time in the marker: MLflow moves a version's last update for any edit (a description, a tag),
            // and a re-import must not take that for a new stage move.
            String marker = "mlflow:" + m.name() + "/" + mv.version() + "/" + (mv.alias() ? "alias:" : "") + mv.what();
            boolean archive = !mv.alias() && mv.what().equals("Archived");
            String action = archive ? "deprecate" : "promote";
            String target = archive ? null : stageFor(mv.what(), mv.alias(), o.stageMap());
            if (done.contains(marker)) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "already", null));
                continue;
            }
            if (!present.contains(mv.version())) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "not-imported",
                        (mv.alias() ? "alias " : "stage ") + mv.what() + " of a version that was not imported"));
                continue;
            }
            if (!archive && (target == null || !ws.config().allowedStages().contains(StageName.of(target)))) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "not-imported",
                        (mv.alias() ? "alias " : "stage ") + mv.what() + " maps to no configured stage (configured: "
                                + String.join(", ", ws.config().allowedStages().stream().map(StageName::value)
                                .toList()) + "); map it with --stage-map " + mv.what() + "=STAGE"));
                continue;
            }
            if (o.dryRun()) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "planned", null));
                continue;
            }
            EventLog.State state = EventLog.replay(events.get().events(model));
            String v = tag.version().toString();
            if (archive ? state.deprecated().contains(v) : v.equals(state.stages().get(StageName.of(target)))) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "already",
                        archive ? "deprecated already" : "in " + target + " already"));
                continue;
            }
            String reason = "imported from MLflow: " + m.name() + " version " + mv.version() + " "
                    + (mv.alias() ? "alias " + mv.what() : archive ? "archived" : "stage " + mv.what()) + " (at "
                    + Instant.ofEpochMilli(mv.at()) + (mv.alias() ? ", the registered model's last update" : "")
                    + ")\n\n[" + marker + "]";
            try {
                if (archive) {
                    writers.deprecate(new VersionSpec(model, tag.version()), reason);
                } else {
                    writers.promote(new VersionSpec(model, tag.version()), StageName.of(target), reason);
                }
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "imported", null));
            } catch (MverException e) {
                steps.add(new Step(model, m.name(), mv.version(), action, tag.shortName(), target, "refused",
                        e.getMessage()));
            }
        }
    }

    /** MLflow's stage or alias as an mver stage: the map's, else Staging and Production in lower case, an alias as is. */
    private static String stageFor(String what, boolean alias, Map<String, String> map) {
        String mapped = map.get(what);
        if (mapped != null) {
            return mapped.equals("-") ? null : mapped;
        }
        String s = alias ? what : what.toLowerCase(Locale.ROOT);
        return StageName.isValid(s) ? s : null;
    }

    /** The markers of the steps already imported into {@code model}, from its events' reasons. */
    private Set<String> markers(ModelName model) {
        Set<String> out = new HashSet<>();
        for (EventLog.Event e : events.get().events(model)) {
            String r = e.reason();
            int at = r == null ? -1 : r.lastIndexOf("[mlflow:");
            if (at >= 0 && r.endsWith("]")) {
                out.add(r.substring(at + 1, r.length() - 1));
            }
        }
        return out;
    }

    /** The record's fields from the version and its run, as a metadata file would give them. */
    private static MetadataInput metadata(MlflowStore store, MlflowStore.RegisteredModel m, MlflowStore.Version v,
                                          MlflowStore.Run run, String user) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        Map<String, JsonNode> params = new TreeMap<>();
        Map<String, JsonNode> metrics = new TreeMap<>();
        ObjectNode mlflow = f.objectNode();
        mlflow.put("registered_model", m.name());
        mlflow.put("version", v.number());
        mlflow.put("source", v.source());
        mlflow.put("run_id", v.runId());
        mlflow.put("user", user);
        mlflow.put("registered_at", Instant.ofEpochMilli(v.created()).toString());
        mlflow.put("stage", v.stage());
        mlflow.set("version_tags", Json.mapper().valueToTree(v.tags()));
        mlflow.set("model_tags", Json.mapper().valueToTree(m.tags()));
        String trainingDate = Instant.ofEpochMilli(v.created()).toString();
        if (run != null) {
            mlflow.put("experiment_id", run.experimentId());
            mlflow.put("experiment", run.experimentName());
            mlflow.put("run_deleted", run.deleted());
            mlflow.set("run_tags", Json.mapper().valueToTree(run.tags()));
            run.params().forEach((k, val) -> params.put(k, MetadataInput.scalar(val)));
            run.metrics().forEach((k, metric) -> metrics.put(k, Double.isFinite(metric.value())
                    ? MetadataInput.scalar(plain(metric.text())) : TextNode.valueOf(special(metric.value()))));
            if (run.startTime() != null) {
                trainingDate = Instant.ofEpochMilli(run.startTime()).toString();
            }
        } else {
            mlflow.put("run", "not in this store");
        }
        Map<String, JsonNode> extra = new TreeMap<>();
        extra.put("mlflow", mlflow);
        return new MetadataInput(null, null, null, null, trainingDate, null, null, null, null, params, metrics, null,
                new Environment(null, null, null, Map.of(), Map.of()), extra);
    }

    /** A metric as Python wrote it ({@code 1e-05}, {@code 0.9}), as JSON reads it. */
    private static String plain(String text) {
        return text.startsWith("+") ? text.substring(1) : text;
    }

    /** JSON has no NaN or infinity: the value is kept as the text JavaScript and Jackson give it. */
    private static String special(double d) {
        return Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
    }

    /**
     * Refuses to replace what is at {@code into} unless it is an artifact mver tracks there (a pointer beside it) or
     * nothing: the import replaces that folder with each version in turn.
     */
    private void requireReplaceable(RepoPath into, MlflowStore store, MlflowStore.RegisteredModel m) {
        Path target = ws.tree().resolve(into);
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path pointer = ws.tree().resolve(dev.mver.core.store.PointerFile.pointerPathOf(into));
        // An import cut short after placing a version's folder, before registering it, left that very folder.
        boolean placedBefore = m.versions().stream().map(v -> {
            try {
                return store.localSource(v);
            } catch (MverException e) {
                return null;
            }
        }).anyMatch(source -> source != null && sameTree(source, target));
        if (!placedBefore && !Files.isRegularFile(pointer, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.usage("%s holds files that are not an mver artifact; give --into a new folder (or "
                    + "move them aside)", into);
        }
    }

    /** Whether two folders hold the same files with the same bytes. */
    private static boolean sameTree(Path a, Path b) {
        try (Stream<Path> wa = Files.walk(a); Stream<Path> wb = Files.walk(b)) {
            List<String> fa = wa.filter(Files::isRegularFile).map(p -> a.relativize(p).toString()).sorted().toList();
            List<String> fb = wb.filter(Files::isRegularFile).map(p -> b.relativize(p).toString()).sorted().toList();
            if (!fa.equals(fb)) {
                return false;
            }
            for (String f : fa) {
                if (Files.mismatch(a.resolve(f), b.resolve(f)) != -1) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The version's folder copied beside {@code into} in the work tree, then put in place of what was there: a
     * folder that cannot be copied (a symbolic link in it) leaves {@code into} as it was.
     */
    private void place(Path source, RepoPath into) {
        Path target = ws.tree().resolve(into);
        Path staging = dev.mver.core.io.AtomicFiles.tempBeside(target);
        try {
            Files.createDirectories(target.getParent());
            try (Stream<Path> walk = Files.walk(source)) {
                for (Path p : walk.toList()) {
                    Path to = staging.resolve(source.relativize(p).toString());
                    if (Files.isSymbolicLink(p)) {
                        throw MverException.usage("%s is a symbolic link: an MLflow model folder holds files only", p);
                    }
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.delete(target);
            }
            Files.move(staging, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + source + " into " + into + ": " + e.getMessage(), e);
        } finally {
            try {
                if (Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.delete(staging);
                }
            } catch (IOException e) {
                // a leftover temp folder, named as mver's
            }
        }
    }
}
