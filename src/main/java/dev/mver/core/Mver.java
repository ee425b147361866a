package dev.mver.core;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.RemoteConfig;
import dev.mver.core.env.EnvironmentCapture;
import dev.mver.core.env.LibraryVersions;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.RegistrySync;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.mlflow.MlflowStore;
import dev.mver.core.ops.AuditService;
import dev.mver.core.ops.BumpAdvisor;
import dev.mver.core.ops.CheckoutService;
import dev.mver.core.ops.Demo;
import dev.mver.core.ops.DvcImport;
import dev.mver.core.ops.EventClock;
import dev.mver.core.ops.FullVerify;
import dev.mver.core.ops.GcService;
import dev.mver.core.ops.HookInstaller;
import dev.mver.core.ops.InitService;
import dev.mver.core.ops.LfsImport;
import dev.mver.core.ops.MetadataInput;
import dev.mver.core.ops.MlflowImport;
import dev.mver.core.ops.RegisterRequest;
import dev.mver.core.ops.RegisterService;
import dev.mver.core.ops.RegistrationRebase;
import dev.mver.core.ops.ReleaseService;
import dev.mver.core.ops.RemoteService;
import dev.mver.core.ops.RemoteVerify;
import dev.mver.core.ops.StageService;
import dev.mver.core.ops.StatusService;
import dev.mver.core.ops.SyncService;
import dev.mver.core.ops.VerifyService;
import dev.mver.core.policy.PolicyCheck;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.ModelQueries;
import dev.mver.core.registry.RefInterpreter;
import dev.mver.core.remote.RemoteKinds;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.remote.TransferService;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MetadataDiff;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.StageName;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jgit.lib.Repository;

/**
 * mver as a library: a work tree opened once, and every use case on it, one method each. It owns the wiring
 * (which services a use case needs, the default remote that fills the cache, git's identity), so that a command
 * line, a notebook or a CI step is: call one method, show the result. Open one per command and close it.
 */
public final class Mver implements AutoCloseable {
    /**
     * What a use case gets from outside: the environment (git's identity variables, credentials, the Python to
     * probe), the clock, progress for long copies and notices (a fetched object, a deepened clone).
     */
    public record Settings(Map<String, String> env, Clock clock, ProgressListener progress, Consumer<String> notice) {
        public Settings {
            env = Map.copyOf(env);
        }

        public static Settings quiet(Map<String, String> env, Clock clock) {
            return new Settings(env, clock, ProgressListener.NONE, line -> { });
        }
    }

    private final Workspace ws;
    private final Settings settings;
    /** The event log of the commands that write events: its clock check and its write read the model once. */
    private EventLog writerEvents;

    private Mver(Workspace ws, Settings settings) {
        this.ws = ws;
        this.settings = settings;
    }

    /** The mver work tree containing {@code dir}. */
    public static Mver open(Path dir, Settings settings) {
        return open(dir, null, settings);
    }

    /** As {@link #open(Path, Settings)}, with the repository of {@code dir} already opened (may be null). */
    public static Mver open(Path dir, Repository repository, Settings settings) {
        return new Mver(Workspace.open(dir, repository), settings);
    }

    /** {@code mver init}: sets {@code dir} up (running {@code git init} when needed); {@code ci} may be null. */
    public static InitService.Result init(Path dir, String ci) {
        return new InitService().init(dir, ci);
    }

    /** {@code mver demo}: the whole loop, end to end, in {@code dir}; {@code say} gets each step. */
    public static void demo(Path dir, Map<String, String> env, Clock clock, Consumer<String> say) {
        new Demo(clock, env, say).run(dir);
    }

    public Workspace workspace() {
        return ws;
    }

    // The work tree

    /** {@code paths} into the cache, pointers staged; unless {@code force}, refused when the policy rejects them. */
    public List<ArtifactService.Added> add(List<String> paths, boolean force) {
        if (!force) {
            PolicyCheck.requireArtifactPaths(ws.config().policyOrDefaults(),
                    paths.stream().map(p -> ArtifactService.artifactPath(ws.repoPath(p))).toList());
        }
        return artifacts().add(paths);
    }

    public StatusService.Report status() {
        return new StatusService(ws, artifacts()).status();
    }

    /** A version into {@code to}, or into the work tree when {@code to} is null; missing objects are fetched. */
    public CheckoutService.Result checkout(VersionSpec spec, Path to, boolean force) {
        return checkouts().checkout(spec, to, force);
    }

    /** Every tracked artifact back from its pointer (after a clone, a deleted file). */
    public CheckoutService.Result checkoutPointers(boolean force) {
        return checkouts().checkoutPointers(force);
    }

    /**
     * For the hooks after git moved pointers: every artifact brought in step with its pointer where that loses
     * nothing, missing objects fetched from the default remote unless the config says {@code "auto_fetch": false}.
     */
    public CheckoutService.Followed followPointers() {
        return checkouts().followPointers(ws.config().fetchesForHooks() && ws.config().defaultRemote() != null);
    }

    // Writing the registry

    /**
     * Registers a version; afterwards says when its declared {@code library_versions} and the packages of the
     * interpreter it recorded disagree (both stay in the record, each under its own name).
     */
    public RegisterService.Result register(RegisterRequest request) {
        return register(request, null);
    }

    /** {@link #register(RegisterRequest)} with the metadata file's fields given in memory (an import's). */
    public RegisterService.Result register(RegisterRequest request, MetadataInput given) {
        clockChecked(request.model(), request.force());
        RegisterService.Result r = new RegisterService(ws, identity(), new EnvironmentCapture(settings.env(),
                request.changes().python()), artifacts(), writerEvents()).register(request, given);
        String disagreement = LibraryVersions.disagreement(r.metadata().libraryVersions(), r.metadata().environment());
        if (disagreement != null) {
            settings.notice().accept("warning: " + disagreement);
        }
        return r;
    }

    /**
     * Warns (or, beyond the configured skew and unforced, refuses) when this event would be dated back; rollback,
     * demote and deprecate only warn, as they are what a team reaches for when something is wrong.
     */
    private void clockChecked(ModelName model, boolean force) {
        EventClock.check(ws.repository(), writerEvents(), identity(), model, ws.config().maxClockSkew(), force)
                .ifPresent(settings.notice());
    }

    /** Sets aside the local registrations of {@code model} that lost a race on {@code gitRemote}; returns their tags. */
    public List<String> rebaseLostRegistrations(String gitRemote, ModelName model) {
        return new RegistrationRebase(ws.repository(), registrySync(), identity()).catchUp(gitRemote, model);
    }

    public StageService.Result promote(VersionSpec version, StageName stage, String reason, boolean force) {
        clockChecked(version.model(), force);
        return stages().promote(version, stage, reason, force);
    }

    public StageService.Result rollback(ModelName model, StageName stage, SemVer to, String reason) {
        clockChecked(model, true); // an emergency move is never held up by a clock: it warns
        return stages().rollback(model, stage, to, reason);
    }

    public StageService.Result demote(ModelName model, StageName stage, String reason) {
        clockChecked(model, true);
        return stages().demote(model, stage, reason);
    }

    public StageService.Result deprecate(VersionSpec version, String reason) {
        clockChecked(version.model(), true);
        return stages().deprecate(version, reason);
    }

    /**
     * Imports the registry of the MLflow file store at {@code store} (see {@link MlflowImport}), each step written as
     * register, promote and deprecate write theirs.
     */
    public MlflowImport.Report importMlflow(java.nio.file.Path store, MlflowImport.Options options) {
        MlflowStore opened = MlflowStore.open(store);
        return new MlflowImport(ws, this::writerEvents, new MlflowImport.Writers() {
            @Override
            public void register(RegisterRequest request, MetadataInput metadata) {
                Mver.this.register(request, metadata);
            }

            @Override
            public void promote(VersionSpec version, StageName stage, String reason) {
                Mver.this.promote(version, stage, reason, true);
            }

            @Override
            public void deprecate(VersionSpec version, String reason) {
                Mver.this.deprecate(version, reason);
            }
        }, settings.notice()).run(opened, options);
    }

    /** Moves the files git-lfs tracks (those {@code patterns} match; all when none) to mver, in one commit. */
    public LfsImport.Report importLfs(List<String> patterns) {
        return new LfsImport(ws, artifacts(), identity(), settings.env()).run(patterns);
    }

    /** Moves the outputs DVC tracks ({@code files}' outputs; all when none) to mver, in one commit. */
    public DvcImport.Report importDvc(List<String> files) {
        return new DvcImport(ws, artifacts(), identity(), (request, metadata) -> register(request, metadata))
                .run(files);
    }

    // Reading the registry

    /** Writes the registry's static HTML report into {@code out}; returns the pages written. */
    public List<String> report(java.nio.file.Path out) {
        return new dev.mver.core.ops.ReportService(ws.repository(), settings.notice()).write(out);
    }

    /** Every model with its latest release (latest version of all with {@code includePreRelease}). */
    public List<ModelQueries.ModelSummary> list(boolean includePreRelease) {
        return queries().list(includePreRelease);
    }

    /** {@link #list(boolean)}, only the models {@code query} asks for. */
    public List<ModelQueries.ModelSummary> list(boolean includePreRelease, ModelQueries.VersionQuery query) {
        return queries().list(includePreRelease, query);
    }

    public ModelQueries.VersionDetails show(VersionSpec spec) {
        return queries().show(spec);
    }

    /** {@code model}'s metrics across its versions, newest first. */
    public ModelQueries.MetricsTable metrics(ModelName model) {
        return queries().metrics(model);
    }

    /** {@code model}'s versions (every model's when null), newest first unless {@code reverse}. */
    public List<ModelQueries.LogEntry> log(ModelName model, boolean reverse) {
        return queries().log(model, reverse);
    }

    /** {@link #log(ModelName, boolean)}, only the versions {@code query} asks for; no model: across all models. */
    public List<ModelQueries.LogEntry> log(ModelName model, boolean reverse, ModelQueries.VersionQuery query) {
        return queries().log(model, reverse, query);
    }

    /** What changed from {@code from} to {@code to}. */
    public Diff diff(VersionSpec from, VersionSpec to) {
        ModelQueries q = queries();
        ModelQueries.VersionDetails a = q.show(from);
        ModelQueries.VersionDetails b = q.show(to);
        return new Diff(a.tag(), b.tag(), MetadataDiff.between(a.metadata(), b.metadata()));
    }

    @JsonPropertyOrder({"from", "to", "changes"})
    public record Diff(String from, String to, List<MetadataDiff.Change> changes) {
    }

    /**
     * {@code from} against the work tree: the model's record as the work tree holds it (edited or not) and its
     * artifacts as they are on disk (hashed, the stat cache sparing unchanged files); what registering now would
     * change.
     */
    public Diff diffWorkTree(VersionSpec from) {
        ModelQueries.VersionDetails a = queries().show(from);
        Metadata base = a.metadata();
        if (base == null) {
            throw MverException.notFound("%s holds no mver record to compare with", a.tag());
        }
        RepoPath recordPath = Workspace.metadataPath(base.modelName());
        Path file = ws.root().resolve(recordPath.value());
        Metadata now = Files.isRegularFile(file)
                ? Metadata.parse(BoundedInput.read(file, "metadata record", Json.MAX_DOCUMENT_BYTES), recordPath.value())
                : base;
        ArtifactService arts = artifacts();
        Metadata.Builder b = now.toBuilder();
        b.artifacts = new ArrayList<>();
        for (ArtifactRef ref : now.artifacts()) {
            ArtifactRef current = arts.currentState(ref.path(), ref);
            if (current != null) {
                b.artifacts.add(current);
            }
        }
        arts.saveStatCache();
        return new Diff(a.tag(), "work tree", MetadataDiff.between(base, b.build()));
    }

    /** Stage occupants of {@code model} (every model when null), now or {@code at} a date, time or event tag. */
    public List<ModelQueries.StagesView> stages(ModelName model, String at) {
        return queries().stages(model, at, ws.config().allowedStages());
    }

    /** {@code model}'s events (every model's when null), newest first unless {@code reverse}. */
    public List<EventLog.Event> history(ModelName model, boolean reverse) {
        return queries().history(model, reverse);
    }

    public List<AuditService.ModelAudit> audit(Instant since) {
        return new AuditService(ws.repository()).report(since);
    }

    /** The registry's tags, and the versions neither the cache nor the default remote can rebuild. */
    public VerifyService.Report verify() {
        return withDefaultRemote(store -> new VerifyService(ws.repository(), settings.notice()).verify(ws.cache(),
                store, false));
    }

    /** The registry, every cache object re-hashed, every pointer resolved, and versions nothing can rebuild. */
    public FullVerify.Report verifyAll() {
        return withDefaultRemote(store -> new FullVerify(ws, artifacts(), store, settings.notice()).verify());
    }

    /** The registry, and every object it needs on the remote {@code name} (null: the default one). */
    public RemoteVerify.Report verifyRemote(String name, boolean deep, int jobs) {
        try (RemoteStore store = openRemote(RemoteService.select(ws, name).getValue(), jobs)) {
            return new RemoteVerify(ws, store, transfer(store, jobs), settings.notice()).verify(deep);
        }
    }

    /** {@code action} given the default remote, opened, or null when there is none. */
    private <T> T withDefaultRemote(Function<RemoteStore, T> action) {
        if (ws.config().defaultRemote() == null) {
            return action.apply(null);
        }
        try (RemoteStore store = openRemote(RemoteService.select(ws, null).getValue(), 0)) {
            return action.apply(store);
        }
    }

    public PolicyCheck.Report check(boolean staged) {
        return new PolicyCheck(ws).check(staged);
    }

    public BumpAdvisor.Suggestion suggestBump(ModelName model) {
        return new BumpAdvisor(ws, artifacts()).suggest(model);
    }

    /** What a pushed ref is (for CI): the event, model, version and stage behind a registry tag. */
    public RefInterpreter.Interpretation interpret(String ref) {
        return new RefInterpreter(ws.repository(), settings.notice()).interpret(ref);
    }

    public ReleaseService.Result release(String ref, Path out) {
        return new ReleaseService(ws, artifacts(), fetchFromDefaultRemote(), settings.notice()).release(ref, out);
    }

    // Remotes

    public RemoteService.RemoteView addRemote(String name, RemoteConfig remote, boolean makeDefault) {
        return new RemoteService(ws).add(name, remote, makeDefault);
    }

    public List<RemoteService.RemoteView> remotes() {
        return new RemoteService(ws).list();
    }

    public void removeRemote(String name) {
        new RemoteService(ws).remove(name);
    }

    /** How a transfer goes: which artifact remote (null: the default), how many at once (0: the default), which git remote. */
    public record Transfer(String remote, int jobs, String gitRemote) {
    }

    /** A transfer's result, with the name of the artifact remote it went to. */
    public record Synced(String remote, SyncService.Result result) {
    }

    /**
     * Objects first, then the registry refs to the git remote; {@code objectsOnly} for the pre-push hook;
     * {@code retry} renumbers unpushed events another clone's pushed events took the numbers of.
     */
    public Synced push(List<VersionSpec> specs, Transfer how, boolean objectsOnly, boolean repair, boolean retry) {
        return sync(how, s -> s.push(specs, how.gitRemote(), objectsOnly, repair, retry));
    }

    /** {@link SyncService#checkEventNumbers}: the pre-push hook's check before a plain {@code git push}. */
    public void checkEventNumbers(String gitRemote, List<ModelName> models) {
        SyncService.checkEventNumbers(ws, registrySync(), gitRemote, models);
    }

    /** Whether this is the pre-push hook run by an {@code mver push}, which reports the objects itself. */
    public boolean runByMverPush() {
        return SyncService.runByMverPush(ws);
    }

    public Synced fetch(List<VersionSpec> specs, Transfer how) {
        return sync(how, s -> s.fetch(specs, how.gitRemote()));
    }

    /** {@code pull}: fetch, then put each version's artifacts into the work tree. */
    public record Pulled(Synced fetched, List<CheckoutService.Result> restored) {
    }

    public Pulled pull(List<VersionSpec> specs, Transfer how, boolean force) {
        Synced fetched = fetch(specs, how);
        List<CheckoutService.Result> restored = new ArrayList<>();
        CheckoutService checkouts = checkouts();
        for (VersionSpec spec : specs) {
            restored.add(checkouts.checkout(spec, null, force));
        }
        return new Pulled(fetched, restored);
    }

    /** Removes the cache objects nothing needs; asks the default remote, when there is one, what it keeps. */
    public GcService.Result gc(GcService.Options options) {
        if (ws.config().defaultRemote() == null) {
            return new GcService(ws).gc(options, null);
        }
        try (RemoteStore store = openRemote(RemoteService.select(ws, null).getValue(), 0)) {
            TransferService transfer = transfer(store, 0);
            return new GcService(ws).gc(options, new GcService.Remote() {
                @Override
                public boolean has(Sha256 sha) {
                    return store.has(sha);
                }

                @Override
                public void fetchManifests(List<ArtifactRef> directories) {
                    transfer.fetchManifests(directories);
                }
            });
        }
    }

    // Hooks

    /** Installs the pre-commit and pre-push hooks, which start mver with {@code command}. */
    public List<HookInstaller.Result> installHooks(String command) {
        return new HookInstaller(ws.repository()).installAll(command, ws.config().policyOrDefaults());
    }

    public List<HookInstaller.Result> uninstallHooks() {
        return new HookInstaller(ws.repository()).uninstallAll();
    }

    @Override
    public void close() {
        ws.close();
    }

    // Wiring

    private ArtifactService artifacts() {
        return new ArtifactService(ws, settings.progress());
    }

    private GitIdentity identity() {
        return new GitIdentity(settings.env(), settings.clock());
    }

    private ModelQueries queries() {
        return new ModelQueries(ws.repository());
    }

    private StageService stages() {
        return new StageService(ws.repository(), ws.config(), identity(), writerEvents());
    }

    private EventLog writerEvents() {
        if (writerEvents == null) {
            writerEvents = new EventLog(ws.repository());
        }
        return writerEvents;
    }

    private RegistrySync registrySync() {
        return new RegistrySync(ws.repository(), settings.env());
    }

    private CheckoutService checkouts() {
        return new CheckoutService(ws, artifacts(), settings.progress(), fetchFromDefaultRemote(), settings.notice());
    }

    /** {@code jobs} 0: {@link TransferService#jobs}'s default. */
    private TransferService transfer(RemoteStore store, int jobs) {
        return new TransferService(ws, store, jobs, settings.progress(), settings.notice());
    }

    private RemoteStore openRemote(RemoteConfig remote, int jobs) {
        return RemoteKinds.open(ws, remote, settings.env(), TransferService.jobs(jobs));
    }

    private Synced sync(Transfer how, Function<SyncService, SyncService.Result> action) {
        Map.Entry<String, RemoteConfig> chosen = RemoteService.select(ws, how.remote());
        try (RemoteStore store = openRemote(chosen.getValue(), how.jobs())) {
            return new Synced(chosen.getKey(), action.apply(new SyncService(ws, store, transfer(store, how.jobs()),
                    registrySync(), artifacts(), settings.notice())));
        }
    }

    /** What a checkout uses to bring missing objects: the default remote when one is configured, else nothing. */
    private Consumer<List<ArtifactRef>> fetchFromDefaultRemote() {
        // With no default remote, the checkout itself reports the missing object (exit 4).
        return missing -> withDefaultRemote(store -> store == null ? null : transfer(store, 0).fetch(missing));
    }
}
