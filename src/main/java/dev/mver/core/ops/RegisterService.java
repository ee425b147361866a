package dev.mver.core.ops;

import dev.mver.core.config.PolicyConfig;
import dev.mver.core.config.Rule;
import dev.mver.core.env.EnvironmentCapture;
import dev.mver.core.git.FileEdits;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.TagWriter;
import dev.mver.core.git.WorkTreeTransaction;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.mlflow.MlflowModel;
import dev.mver.core.policy.BumpRules;
import dev.mver.core.policy.PolicyCheck;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.registry.RegistrationCommits;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.registry.VersionIndex;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Bump;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.TagName;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;

/**
 * {@code mver register}: reads the inputs, stores the artifacts' bytes (before any lock: hashing a large model
 * takes a while), then, under the work tree's locks, decides the version and assembles the metadata record from the
 * registry as it is, and has the {@link TagWriter} write commit and tag. Every refusal (bad version, existing
 * version, nothing changed, policy) happens before anything in the work tree or the repository is written;
 * artifact bytes stored before a refusal are only unreferenced cache objects.
 */
public final class RegisterService {
    private final Workspace ws;
    private final ArtifactService artifacts;
    private final GitRegistry registry;
    private final TagWriter tags;
    private final RecordAssembler assembler;
    private final EnvironmentCapture environment;
    private final EventLog events;

    /** {@code events}: the command's writer's event log ({@link EventLog#EventLog}), shared with its clock check. */
    public RegisterService(Workspace ws, GitIdentity identity, EnvironmentCapture environment,
                           ArtifactService artifacts, EventLog events) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.registry = new GitRegistry(ws.repository());
        this.tags = new TagWriter(ws.repository(), identity);
        this.environment = environment;
        this.assembler = new RecordAssembler(identity.clock(), environment);
        this.events = events;
    }

    /** {@code notes}: what register decided for the user and should say (the bump --bump auto chose, dropped metrics). */
    public record Result(TagName tag, Registration previous, Metadata metadata, ObjectId commit, List<String> notes) {
    }

    /** What one attempt decided: the version's tag, its record and the files its commit holds. */
    private record Planned(TagName tag, Registration previous, Metadata metadata, FileEdits files, List<String> notes) {
    }

    public Result register(RegisterRequest req) {
        return register(req, null);
    }

    /**
     * {@link #register(RegisterRequest)} with {@code given} as the whole record's fields (an import builds them from
     * another tool's records: nothing is inherited from the previous version); its environment, when it has one,
     * is recorded instead of this machine's.
     */
    public Result register(RegisterRequest req, MetadataInput given) {
        ws.requireValidConfig(); // refused even under --force, which skips the policy that reads the config
        RecordAssembler.Inputs read = RecordAssembler.Inputs.read(req.model(), req.changes());
        RecordAssembler.Inputs inputs = given == null ? read
                : new RecordAssembler.Inputs(given, read.requirementLibs(), read.metricsFile(), read.paramsFile(), true);
        TagWriter.currentBranch(ws.repository());
        if (inputs.file() == null || inputs.file().environment() == null) {
            environment.prefetch(); // overlaps what follows
        }
        requireNoCaseTwin(req.model());
        // What history says was registered, tags or not: a deleted tag does not free its version number.
        RegistrationCommits history = RegistrationCommits.read(ws.repository(), events);
        Map<TagName, List<RegistrationCommits.Seen>> registered = history.of(req.model());
        // Read after the history and once for both: another process registering in between must raise the bumped
        // version here, not make it look taken (losing a race is decided under the lock, and recomputed).
        List<SemVer> versions = registry.versions(req.model());
        Optional<SemVer> latest = versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        // An explicit or bumped version that is taken or too low is refused now, before any byte is hashed.
        requestedVersion(req, latest, versions, registered);
        Metadata latestRecord = latest.map(v -> registry.metadata(registry.readAny(new TagName(req.model(), v))))
                .orElse(null);
        List<RepoPath> paths = artifactPaths(req, latestRecord);
        List<ArtifactRef> refs = snapshot(paths, latestRecord);
        Map<String, MlflowModel> mlflow = MlflowArtifacts.read(ws.cache(), refs);
        // Both locks before the refs move: a git command holding the index would otherwise commit over the
        // registration, and a second mver could rewrite the same .gitignore.
        try (WorkTreeTransaction tx = WorkTreeTransaction.begin(ws.repository(), ws.tree())) {
            // An explicit --version that lost a race is the user's decision to revisit; a computed one moves on.
            TagWriter.Written<Planned> written = tags.write(req.model(), req.version().computed(),
                    () -> plan(req, inputs, paths, refs, mlflow, registered));
            Planned p = written.plan();
            events.wrote(req.model(), p.tag().refName(), written.tagObject());
            events.saveCache();
            history.keep(); // the walk before this registration: the next one reads from it on
            tx.apply(p.files(), paths, "register: work tree written, index not updated", false);
            return new Result(p.tag(), p.previous(), p.metadata(), written.commit(), p.notes());
        }
    }

    /** Decides the version and record from the registry as it is now; computed again when a race was lost. */
    private TagWriter.Write<Planned> plan(RegisterRequest req, RecordAssembler.Inputs inputs, List<RepoPath> paths,
                                          List<ArtifactRef> refs, Map<String, MlflowModel> mlflow,
                                          Map<TagName, List<RegistrationCommits.Seen>> registered) {
        ModelName model = req.model();
        List<SemVer> existing = registry.versions(model);
        Optional<SemVer> latest = existing.isEmpty() ? Optional.empty() : Optional.of(existing.get(existing.size() - 1));
        // The previous version may be another tool's (a GTO registry adopting mver): linked, its record inherited
        // when its commit has one.
        Registration previous = latest.map(v -> registry.readAny(new TagName(model, v))).orElse(null);
        Metadata previousRecord = previous == null ? null : registry.metadata(previous);
        SemVer version = requestedVersion(req, latest, existing, registered);
        List<String> notes = new ArrayList<>();
        if (version == null) {
            // --bump auto: the change decides, measured against the previous version's record.
            // Without a record to compare with (another tool's version), a retraining is assumed: minor.
            BumpRules.Requirement required = latest.isEmpty() || previousRecord == null ? null
                    : BumpRules.required(previousRecord, assembler.assemble(req, inputs, latest.get(), previousRecord,
                    refs, mlflow));
            version = latest.isEmpty() ? SemVer.of(1, 0, 0) : required == null ? latest.get().bump(Bump.MINOR)
                    : latest.get().bump(required.bump());
            notes.add("--bump auto chose " + (latest.isEmpty() ? "1.0.0 (the first version)"
                    : (required == null ? "minor" : required.bump().toString()) + " (v" + latest.get() + " -> v" + version
                    + "): " + (required == null ? "the previous version has no mver record to compare with; a "
                    + "retraining is assumed" : String.join("; ", required.reasons()))));
            requireNewest(model, version, existing, latest, registered);
        }
        TagName tag = new TagName(model, version);
        Metadata metadata = assembler.assemble(req, inputs, version, previousRecord, refs, mlflow);
        if (previousRecord != null) {
            Set<String> kept = metadata.metrics().keySet();
            List<String> dropped = previousRecord.metrics().keySet().stream()
                    .filter(k -> !kept.contains(k)).sorted().toList();
            if (!dropped.isEmpty()) {
                notes.add("the metrics of v" + previousRecord.version() + " (" + String.join(", ", dropped) + ") are "
                        + "not carried over: they were measured on the previous bytes; give the new ones with --metric");
            }
        }
        if (previousRecord != null && metadata.content().equals(previousRecord.content())
                && !version.releases(previous.tag().version())) {
            throw MverException.conflict("%s has the same artifacts and metadata as %s; nothing to register",
                    tag, new TagName(model, previousRecord.semVer()));
        }
        TagName repeats = previousRecord == null ? null
                : repeatedVersion(model, refs, previousRecord, version, req.force());
        if (repeats != null) {
            Metadata.Builder noted = metadata.toBuilder();
            noted.extra.put(Metadata.REPEATS, com.fasterxml.jackson.databind.node.TextNode.valueOf(repeats.toString()));
            metadata = noted.build();
        }
        List<EventLog.Event> history = events.events(model);
        if (!req.force()) {
            if (EventLog.replay(history).modelDeprecated()) {
                throw MverException.policy("model %s is deprecated (%s@deprecated): it is retired; pass --force to "
                        + "register a new version, which brings it back (as GTO reads it)", model, model);
            }
            enforcePolicy(metadata, previousRecord);
        }
        byte[] metadataBytes = metadata.toCanonicalBytes();
        RepoPath metadataPath = Workspace.metadataPath(model);
        long number = EventLog.nextNumber(history);
        TagPayload payload = new TagPayload(TagPayload.SCHEMA, model, version.toString(), number, metadataPath,
                Sha256.hash(metadataBytes), metadata.artifacts(), previous == null ? null
                : new TagPayload.Previous(previous.tag().version().toString(), previous.tagObject().name()),
                req.reason().strip());
        FileEdits files = new FileEdits().whole(metadataPath, metadataBytes).addAll(artifacts.trackingFiles(refs));
        // A clone must be usable with mver, so the registration carries mver's own config too.
        for (String own : List.of(Workspace.CONFIG_FILE, Workspace.MVER_DIR + "/.gitignore")) {
            Path f = ws.root().resolve(own);
            if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                files.whole(RepoPath.of(own), BoundedInput.read(f, "mver's file", Json.MAX_DOCUMENT_BYTES));
            }
        }
        String commitMessage = "mver: register " + tag + "\n\n" + req.reason().strip() + "\n";
        return new TagWriter.Write<>(tag.shortName(), null, new TagWriter.Commit(files, paths, commitMessage),
                payload.toMessage(), new Planned(tag, previous, metadata, files, List.copyOf(notes)));
    }

    /** The version asked for (null for --bump auto, which the change decides), checked against the existing ones. */
    private static SemVer requestedVersion(RegisterRequest req, Optional<SemVer> latest, List<SemVer> existing,
                                           Map<TagName, List<RegistrationCommits.Seen>> registered) {
        RegisterRequest.VersionChoice choice = req.version();
        SemVer requested = choice.exact() != null ? choice.exact() : choice.bump() != null
                ? latest.map(v -> v.bump(choice.bump())).orElse(SemVer.first(choice.bump())) : null;
        if (requested != null) {
            requireNewest(req.model(), requested, existing, latest, registered);
        }
        return requested;
    }

    private static void requireNewest(ModelName model, SemVer version, List<SemVer> existing, Optional<SemVer> latest,
                                      Map<TagName, List<RegistrationCommits.Seen>> registered) {
        TagName tag = new TagName(model, version);
        if (existing.contains(version)) {
            throw MverException.conflict("version %s already exists", tag);
        }
        SemVer same = existing.stream().filter(v -> v.compareTo(version) == 0).findFirst().orElse(null);
        if (same != null) {
            throw MverException.conflict("version %s is %s with other build metadata, which never makes a new version",
                    tag, new TagName(model, same));
        }
        List<RegistrationCommits.Seen> before = registered.get(tag);
        if (before != null) {
            throw MverException.conflict("%s was registered before (commit %s, %s) and its tag has since been deleted; "
                    + "a version number is never given out twice: register a higher version (or bring the tag back: "
                    + "'git fetch --tags' when a teammate registered it, else push it from a clone that has it)", tag, before.get(0).commit(), before.get(0).at());
        }
        if (latest.isPresent() && version.compareTo(latest.get()) <= 0) {
            throw MverException.conflict("version %s is not greater than the latest version %s (versions never go back)",
                    version.tagForm(), latest.get().tagForm());
        }
    }

    /**
     * A registration must not publish bytes that are already a version as if they were new: when every artifact
     * that differs from the latest version's is, at its path, an older version's bytes (a stale work tree after a
     * pull, a branch switch or a checkout of that version), it would be a silent rollback; artifacts all equal to
     * the latest version's can only be a metadata correction (a patch). Any artifact with new bytes makes it a new
     * model, whatever its other files hold. Refused with exit 3 and the command the user most likely meant; under
     * {@code --force}, returns the version the record must name as repeated (null when nothing is repeated).
     */
    private TagName repeatedVersion(ModelName model, List<ArtifactRef> refs, Metadata latest, SemVer version,
                                    boolean force) {
        TagName latestTag = new TagName(model, latest.semVer());
        VersionIndex index = new VersionIndex(ws.repository(), events, model);
        List<ArtifactRef> changed = refs.stream()
                .filter(r -> latest.artifacts().stream().noneMatch(r::sameContent)).toList();
        if (changed.isEmpty()) {
            if (refs.size() != latest.artifacts().size() || version.releases(latest.semVer())
                    || BumpRules.actual(latest.semVer(), version) == Bump.PATCH) {
                return null; // a correction, or a release candidate's bytes released as they are
            }
            if (force) {
                return latestTag;
            }
            throw MverException.policy("the artifacts are %s's bytes, unchanged: only a metadata correction (a patch "
                    + "version: --bump patch) can repeat them, as %s needs new bytes; or pass --force", latestTag,
                    new TagName(model, version));
        }
        TagName older = null;
        for (ArtifactRef ref : changed) {
            Optional<TagName> at = index.versionAt(ref, model).filter(t -> t.version().compareTo(latest.semVer()) < 0);
            if (at.isEmpty()) {
                return null; // new bytes: a new version, whatever the other files hold
            }
            older = older == null ? at.get() : older;
        }
        if (force) {
            return older;
        }
        throw MverException.policy("%s holds the bytes of %s, older than the latest %s: registering them would "
                + "publish a rollback as a new version; to bring the work tree up to date run 'mver checkout' "
                + "(it follows the pointers) or 'mver checkout %s', to move a stage back run 'mver rollback %s "
                + "STAGE', or pass --force to register these bytes again", changed.get(0).path(), older, latestTag,
                latestTag, model);
    }

    /** Two models whose names differ only in case would share one metadata file on macOS and Windows. */
    private void requireNoCaseTwin(ModelName model) {
        // From the names the history read also uses; only a name that matches but for case is parsed.
        String want = model.value();
        int at = org.eclipse.jgit.lib.Constants.R_TAGS.length();
        for (String name : events.tagNames()) {
            if (name.length() > at + want.length() && name.regionMatches(true, at, want, 0, want.length())
                    && !name.startsWith(want, at) && "@#".indexOf(name.charAt(at + want.length())) >= 0) {
                EventTag t = EventTag.parseOrNull(name);
                if (t != null && t.kind() == EventTag.Kind.REGISTER) {
                    throw MverException.conflict("model '%s' differs from the existing model '%s' only in case",
                            model, t.model());
                }
            }
        }
    }

    /**
     * The policy rules that apply to a registration, as {@code check} applies them: the artifacts' names, the bump
     * matches the change, required fields are set.
     */
    private void enforcePolicy(Metadata metadata, Metadata previous) {
        PolicyConfig policy = ws.config().policyOrDefaults();
        PolicyCheck.requireArtifactPaths(policy, metadata.artifacts().stream().map(ArtifactRef::path).toList());
        if (previous != null && policy.enabled(Rule.BUMP_TOO_SMALL)) {
            PolicyCheck.Violation v = PolicyCheck.bumpViolation(null, previous, metadata);
            if (v != null) {
                throw MverException.policy("%s; %s, or pass --force", v.message(), v.fix());
            }
        }
        if (policy.enabled(Rule.MISSING_FIELDS)) {
            List<String> missing = PolicyCheck.missingFields(metadata, policy.required());
            if (!missing.isEmpty()) {
                throw MverException.policy("%s v%s is missing %s (required by policy); add them: %s, or pass --force",
                        metadata.modelName(), metadata.version(), String.join(", ", missing),
                        PolicyCheck.fixFor(metadata.modelName(), missing).replace("mver register " + metadata.modelName() + " ", ""));
            }
        }
    }

    private List<RepoPath> artifactPaths(RegisterRequest req, Metadata previous) {
        Set<RepoPath> paths = new LinkedHashSet<>();
        for (String a : req.artifacts()) {
            paths.add(ArtifactService.artifactPath(ws.repoPath(a)));
        }
        if (paths.isEmpty() && previous != null) {
            previous.artifacts().forEach(a -> paths.add(a.path()));
        }
        if (paths.isEmpty()) {
            throw MverException.usage("no artifacts: give the model's files with --artifact PATH");
        }
        Set<String> folded = new HashSet<>();
        for (RepoPath p : paths) {
            if (!folded.add(p.foldedKey())) {
                throw MverException.usage("artifact %s is given twice (paths differ only in case)", p);
            }
        }
        artifacts.requireNotNested(paths);
        for (RepoPath p : paths) {
            if (!Files.exists(ws.tree().resolve(p)) && artifacts.readPointer(p) == null) {
                throw MverException.notFound("artifact not found: %s (no file and no pointer)", p);
            }
        }
        return new ArrayList<>(paths);
    }

    /** Each artifact's bytes in the cache (a file that is gone counts as its pointer says, if its object is here). */
    private List<ArtifactRef> snapshot(List<RepoPath> paths, Metadata previous) {
        List<ArtifactRef> refs = new ArrayList<>();
        try {
            for (RepoPath p : paths) {
                ArtifactRef before = previous == null ? null : previous.artifacts().stream()
                        .filter(a -> a.path().equals(p)).findFirst().orElse(null);
                refs.add(Files.exists(ws.tree().resolve(p)) ? artifacts.snapshot(p, before) : fromPointer(p));
            }
        } finally {
            artifacts.saveStatCache();
        }
        return refs;
    }

    private ArtifactRef fromPointer(RepoPath p) {
        PointerFile pointer = artifacts.readPointer(p);
        if (!ws.cache().contains(pointer.sha256())) {
            throw MverException.notFound("artifact %s is not in the work tree and its object %s is not in the cache",
                    p, pointer.sha256().shortHex());
        }
        return new ArtifactRef(p, pointer.type(), pointer.sha256(), pointer.size());
    }
}
