package dev.mver.core.ops;

import dev.mver.core.config.PolicyConfig;
import dev.mver.core.config.Rule;
import dev.mver.core.env.EnvironmentCapture;
import dev.mver.core.env.Requirements;
import dev.mver.core.git.EventCounter;
import dev.mver.core.git.FileEdits;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.Registrar;
import dev.mver.core.git.RegistrationRaced;
import dev.mver.core.git.WorkTreeTransaction;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.policy.BumpRules;
import dev.mver.core.policy.PolicyCheck;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ExitCode;
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
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;

/**
 * {@code mver register}: decides the version, assembles the metadata record, and writes the registration commit
 * and tag. Every refusal (bad version, existing version, nothing changed) happens before anything in the work
 * tree or the repository is written; artifact bytes copied to the cache before a refusal are only unreferenced
 * cache objects.
 */
public final class RegisterService {
    private final Workspace ws;
    private final GitIdentity identity;
    private final EnvironmentCapture environment;
    private final ArtifactService artifacts;
    private final GitRegistry registry;

    public RegisterService(Workspace ws, GitIdentity identity, EnvironmentCapture environment,
                           ArtifactService artifacts) {
        this.ws = ws;
        this.identity = identity;
        this.environment = environment;
        this.artifacts = artifacts;
        this.registry = new GitRegistry(ws.repository());
    }

    public record Result(TagName tag, Registration previous, Metadata metadata, Registrar.Written written) {
    }

    /** How often a registration whose version is computed (--bump) is recomputed after losing a race. */
    static final int RACE_ATTEMPTS = 25;

    public Result register(RegisterRequest req) {
        // An explicit --version that lost a race is the user's decision to revisit; a computed one is not.
        int attempts = req.version() == null ? RACE_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            try {
                return registerOnce(req);
            } catch (RegistrationRaced e) {
                if (attempt >= attempts) {
                    throw e;
                }
                backOff(attempt);
            }
        }
    }

    private static void backOff(int attempt) {
        try {
            // Jitter spreads the losers out so they do not collide again in lockstep.
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(5, 40L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MverException(ExitCode.INTERNAL, "interrupted while registering");
        }
    }

    private Result registerOnce(RegisterRequest req) {
        if (req.reason() == null || req.reason().isBlank()) {
            throw MverException.usage("a reason is required: -m \"why this version exists\"");
        }
        if ((req.version() != null ? 1 : 0) + (req.bump() != null ? 1 : 0) + (req.autoBump() ? 1 : 0) != 1) {
            throw MverException.usage("give exactly one of --version X.Y.Z or --bump major|minor|patch|auto");
        }
        if (req.trainingDate() != null) {
            checkDate(req.trainingDate());
        }
        ws.config(); // a broken config is refused even under --force, which skips the policy that reads it
        MetadataInput file = req.metadataFile() == null ? null : MetadataInput.read(req.metadataFile());
        Map<String, String> requirementLibs = req.requirements() == null ? Map.of() : Requirements.read(req.requirements());
        if (file != null) {
            checkFileAgrees(file, req);
        }
        new Registrar(ws.repository()).currentBranch();

        ObjectId counter = EventCounter.current(ws.repository(), req.model());
        long number = EventLog.nextNumber(new EventLog(ws.repository()).events(req.model()));
        for (ModelName other : registry.models().keySet()) {
            if (!other.equals(req.model()) && other.value().equalsIgnoreCase(req.model().value())) {
                // Their metadata files would be one file on macOS and Windows.
                throw MverException.conflict("model '%s' differs from the existing model '%s' only in case",
                        req.model(), other);
            }
        }
        List<SemVer> existing = registry.versions(req.model());
        Optional<SemVer> latest = existing.isEmpty() ? Optional.empty() : Optional.of(existing.get(existing.size() - 1));
        SemVer requested = req.version() != null ? SemVer.parse(req.version())
                : req.bump() != null ? latest.map(v -> v.bump(req.bump())).orElse(SemVer.first(req.bump())) : null;
        if (requested != null) {
            checkOrder(req.model(), requested, existing, latest);
        }
        Registration previous = latest.map(v -> registry.read(new TagName(req.model(), v))).orElse(null);
        Metadata previousMeta = previous == null ? null : registry.metadata(previous);

        List<RepoPath> paths = artifactPaths(req, previousMeta);
        for (RepoPath p : paths) {
            if (!Files.exists(ws.tree().resolve(p)) && artifacts.readPointer(p) == null) {
                throw MverException.notFound("artifact not found: %s (no file and no pointer)", p);
            }
        }

        List<ArtifactRef> refs = new ArrayList<>();
        try {
            for (RepoPath p : paths) {
                ArtifactRef before = previousMeta == null ? null : previousMeta.artifacts().stream()
                        .filter(a -> a.path().equals(p)).findFirst().orElse(null);
                refs.add(Files.exists(ws.tree().resolve(p)) ? artifacts.snapshot(p, before) : fromPointer(p));
            }
        } finally {
            artifacts.saveStatCache();
        }

        SemVer version = requested;
        if (version == null) {
            // --bump auto: the change decides, measured against the previous version's record.
            version = previousMeta == null ? SemVer.of(1, 0, 0) : latest.get().bump(BumpRules.required(previousMeta,
                    assemble(req, file, requirementLibs, latest.get(), previousMeta, refs)).bump());
            checkOrder(req.model(), version, existing, latest);
        }
        TagName tag = new TagName(req.model(), version);
        Metadata metadata = assemble(req, file, requirementLibs, version, previousMeta, refs);
        if (previousMeta != null && metadata.content().equals(previousMeta.content())) {
            throw MverException.conflict("%s has the same artifacts and metadata as %s; nothing to register",
                    tag, new TagName(req.model(), previousMeta.semVer()));
        }
        if (!req.force()) {
            enforcePolicy(metadata, previousMeta);
        }

        byte[] metadataBytes = metadata.toCanonicalBytes();
        RepoPath metadataPath = Workspace.metadataPath(req.model());
        TagPayload payload = new TagPayload(TagPayload.SCHEMA, req.model(), version.toString(), number,
                metadataPath, Sha256.hash(metadataBytes), metadata.artifacts(),
                previous == null ? null : new TagPayload.Previous(previous.tag().version().toString(),
                        previous.tagObject().name()), req.reason().strip());

        // Everything the registration commits is computed in memory; the work tree and index are written only
        // once the refs have moved, so a refused registration (a concurrent one won) leaves no trace. Both locks
        // are taken first: a git command holding the index would otherwise commit over the registration.
        FileEdits files = new FileEdits().whole(metadataPath, metadataBytes).addAll(artifacts.trackingFiles(refs));
        // A clone must be usable with mver, so the registration carries mver's own config too.
        for (String own : List.of(Workspace.CONFIG_FILE, Workspace.MVER_DIR + "/.gitignore")) {
            Path f = ws.root().resolve(own);
            if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                files.whole(RepoPath.of(own), readAll(f));
            }
        }
        String commitMessage = "mver: register " + tag + "\n\n" + req.reason().strip() + "\n";
        Registrar registrar = new Registrar(ws.repository());
        try (WorkTreeTransaction tx = WorkTreeTransaction.begin(ws.repository(), ws.tree())) {
            Registrar.Written written = registrar.commitAndTag(tag, files, paths, identity.sign(ws.repository()),
                    commitMessage, payload.toMessage(), counter);
            tx.apply(files, paths, "register: work tree written, index not updated", false);
            return new Result(tag, previous, metadata, written);
        }
    }

    private static byte[] readAll(Path f) {
        return BoundedInput.read(f, "mver's file", Json.MAX_DOCUMENT_BYTES);
    }

    private static void checkOrder(ModelName model, SemVer version, List<SemVer> existing, Optional<SemVer> latest) {
        TagName tag = new TagName(model, version);
        tag.refName();
        if (existing.contains(version)) {
            throw MverException.conflict("version %s already exists", tag);
        }
        if (latest.isPresent() && version.compareTo(latest.get()) <= 0) {
            throw MverException.conflict("version %s is not greater than the latest version %s (versions never go back)",
                    version.tagForm(), latest.get().tagForm());
        }
    }

    /** The policy rules that apply to a registration: the bump matches the change, required fields are set. */
    private void enforcePolicy(Metadata metadata, Metadata previous) {
        PolicyConfig policy = ws.config().policyOrDefaults();
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

    private List<RepoPath> artifactPaths(RegisterRequest req, Metadata previousMeta) {
        Set<RepoPath> paths = new LinkedHashSet<>();
        for (String a : req.artifacts()) {
            paths.add(ArtifactService.artifactPath(ws.repoPath(a)));
        }
        if (paths.isEmpty() && previousMeta != null) {
            previousMeta.artifacts().forEach(a -> paths.add(a.path()));
        }
        if (paths.isEmpty()) {
            throw MverException.usage("no artifacts: give the model's files with --artifact PATH");
        }
        Set<String> folded = new java.util.HashSet<>();
        for (RepoPath p : paths) {
            if (!folded.add(p.foldedKey())) {
                throw MverException.usage("artifact %s is given twice (paths differ only in case)", p);
            }
        }
        artifacts.requireNotNested(paths);
        return new ArrayList<>(paths);
    }

    private ArtifactRef fromPointer(RepoPath p) {
        PointerFile pointer = artifacts.readPointer(p);
        if (!ws.cache().contains(pointer.sha256())) {
            throw MverException.notFound("artifact %s is not in the work tree and its object %s is not in the cache",
                    p, pointer.sha256().shortHex());
        }
        return new ArtifactRef(p, pointer.type(), pointer.sha256(), pointer.size());
    }

    private Metadata assemble(RegisterRequest req, MetadataInput file, Map<String, String> requirementLibs,
                              SemVer version, Metadata previous, List<ArtifactRef> refs) {
        Metadata.Builder b = previous == null ? new Metadata.Builder() : previous.toBuilder();
        boolean artifactsChanged = previous == null || !sameArtifacts(previous.artifacts(), refs);
        if (artifactsChanged) {
            // Metrics describe the bytes they were measured on; new bytes need new numbers.
            b.metrics = new TreeMap<>();
            b.trainingDate = LocalDate.now(identity.clock()).toString();
        }
        b.modelName = req.model();
        b.version = version.toString();
        b.parentVersion = previous == null ? null : previous.version();
        b.reason = req.reason().strip();
        b.artifacts = refs;
        b.environment = null;
        if (file != null) {
            if (file.trainingDate() != null) {
                b.trainingDate = checkDate(file.trainingDate());
            }
            b.datasetSnapshotId = orElse(file.datasetSnapshotId(), b.datasetSnapshotId);
            b.featureSetVersion = orElse(file.featureSetVersion(), b.featureSetVersion);
            b.architecture = orElse(file.architecture(), b.architecture);
            if (file.features() != null) {
                b.features = new ArrayList<>(file.features());
            }
            putAll(b.hyperparameters, file.hyperparameters());
            putAll(b.metrics, file.metrics());
            putAll(b.libraryVersions, file.libraryVersions());
            putAll(b.extra, file.extra());
            b.environment = file.environment();
        }
        b.libraryVersions.putAll(requirementLibs);
        b.datasetSnapshotId = orElse(req.dataset(), b.datasetSnapshotId);
        b.featureSetVersion = orElse(req.featureSet(), b.featureSetVersion);
        b.architecture = orElse(req.architecture(), b.architecture);
        b.trainingDate = orElse(req.trainingDate(), b.trainingDate);
        if (req.features() != null) {
            b.features = new ArrayList<>(req.features());
        }
        req.params().forEach((k, v) -> b.hyperparameters.put(key(k, "--param"), MetadataInput.scalar(v)));
        req.metrics().forEach((k, v) -> b.metrics.put(key(k, "--metric"), MetadataInput.scalar(v)));
        req.libs().forEach((k, v) -> b.libraryVersions.put(Requirements.normalise(key(k, "--lib")), v));
        if (b.environment == null) {
            b.environment = environment.capture();
        }
        return b.build();
    }

    private static String key(String k, String flag) {
        if (k == null || k.isBlank() || k.chars().anyMatch(c -> c < 0x20)) {
            throw MverException.usage("%s needs KEY=VALUE with a non-empty key", flag);
        }
        return k;
    }

    private static boolean sameArtifacts(List<ArtifactRef> a, List<ArtifactRef> b) {
        if (a.size() != b.size()) {
            return false;
        }
        Map<RepoPath, ArtifactRef> byPath = new TreeMap<>();
        a.forEach(r -> byPath.put(r.path(), r));
        return b.stream().allMatch(r -> byPath.containsKey(r.path()) && byPath.get(r.path()).sameContent(r));
    }

    private static <V> void putAll(Map<String, V> target, Map<String, V> source) {
        if (source != null) {
            target.putAll(source);
        }
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }

    private void checkFileAgrees(MetadataInput file, RegisterRequest req) {
        if (file.modelName() != null && !file.modelName().equals(req.model().value())) {
            throw MverException.usage("metadata file is for model '%s', not '%s'", file.modelName(), req.model());
        }
        if (file.schema() != null && !file.schema().equals(Metadata.SCHEMA)) {
            throw MverException.usage("metadata file has schema '%s', expected '%s'", file.schema(), Metadata.SCHEMA);
        }
    }

    static String checkDate(String text) {
        for (var parser : List.<java.util.function.Function<String, Object>>of(LocalDate::parse,
                OffsetDateTime::parse, LocalDateTime::parse)) {
            try {
                parser.apply(text);
                return text;
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        throw MverException.usage("training date '%s' is not an ISO-8601 date (2026-11-28) or date-time", text);
    }


}
