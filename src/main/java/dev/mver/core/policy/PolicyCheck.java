package dev.mver.core.policy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.PolicyConfig;
import dev.mver.core.config.Rule;
import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.Registration;
import dev.mver.core.registry.VersionIndex;
import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MetadataField;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.TagName;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * The policy engine behind {@code mver check}, the pre-commit hook and CI. It reads what is staged (or, without
 * {@code --staged}, everything in the index) straight from Git's index and object store, never the work tree,
 * and never writes anything.
 */
public final class PolicyCheck {
    private final Workspace ws;
    private final Repository repo;
    private PolicyConfig policy;
    private final GitRegistry registry;
    private VersionIndex versionIndex;

    public PolicyCheck(Workspace ws) {
        this.ws = ws;
        this.repo = ws.repository();
        this.registry = new GitRegistry(repo);
    }

    @JsonPropertyOrder({"rule", "path", "message", "fix"})
    public record Violation(String rule, String path, String message, String fix) {
    }

    /** {@code warnings}: what is worth a reviewer's eye without blocking (a change of the policy itself). */
    @JsonPropertyOrder({"ok", "mode", "files_checked", "violations", "warnings"})
    public record Report(boolean ok, String mode, int filesChecked, List<Violation> violations, List<String> warnings) {
    }

    private record Entry(String path, ObjectId blob) {
    }

    public Report check(boolean staged) {
        List<Violation> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        ws.requireValidConfig(); // a broken edit is reported now, though only the committed policy applies
        try (ObjectReader reader = repo.newObjectReader()) {
            policy = committedPolicy(reader, staged, warnings);
            List<Entry> entries = staged ? stagedEntries(reader) : indexEntries();
            Map<ModelName, Metadata> indexMetadata = indexMetadata(reader);
            for (Entry e : entries) {
                checkEntry(e, reader, indexMetadata, out);
            }
            return new Report(out.isEmpty(), staged ? "staged" : "index", entries.size(), out, warnings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the git index: " + e.getMessage(), e);
        }
    }

    /**
     * The policy as committed: HEAD's {@code .mver/config.json} (a first commit's: the index's), never the work
     * tree's, so a rule switched off by an uncommitted edit does not apply, and one switched off in the commit
     * being made applies only from the next. A change of the policy itself is a warning: in the staged commit for
     * the hook, in HEAD's last commit for a CI check.
     */
    private PolicyConfig committedPolicy(ObjectReader reader, boolean staged, List<String> warnings)
            throws IOException {
        PolicyConfig head = policyAt(reader, Constants.HEAD);
        if (head == BROKEN) {
            // A broken committed policy must not let the staged one loosen it: the defaults apply until it is fixed.
            warnings.add("HEAD's " + WorkspaceConfig.FILE + " does not parse; the default policy applies until a "
                    + "commit fixes it");
            head = PolicyConfig.defaults();
        }
        PolicyConfig index = orNull(policyInIndex(reader));
        PolicyConfig changedFrom = staged ? head : orNull(policyAt(reader, Constants.HEAD + "~1"));
        PolicyConfig changedTo = staged ? index : head;
        if (changedFrom != null && changedTo != null && !changedFrom.equals(changedTo)) {
            warnings.add((staged ? "this commit changes" : "the last commit (" + repo.resolve(Constants.HEAD)
                    .abbreviate(10).name() + ") changed") + " the policy in " + WorkspaceConfig.FILE + " ("
                    + String.join(", ", PolicyConfig.differences(changedFrom, changedTo)) + ")"
                    + (staged ? "; this commit is still checked against the committed policy" : ""));
        }
        return head != null ? head : index != null ? index : ws.config().policyOrDefaults();
    }

    private static PolicyConfig orNull(PolicyConfig p) {
        return p == BROKEN ? null : p;
    }

    private PolicyConfig policyAt(ObjectReader reader, String rev) throws IOException {
        ObjectId tree = repo.resolve(rev + "^{tree}");
        if (tree == null) {
            return null;
        }
        try (TreeWalk tw = TreeWalk.forPath(repo, WorkspaceConfig.FILE, tree)) {
            return tw == null ? null : parsedPolicy(reader.open(tw.getObjectId(0)).getBytes(Json.MAX_DOCUMENT_BYTES));
        }
    }

    private PolicyConfig policyInIndex(ObjectReader reader) throws IOException {
        DirCacheEntry e = repo.readDirCache().getEntry(WorkspaceConfig.FILE);
        return e == null ? null : parsedPolicy(reader.open(e.getObjectId()).getBytes(Json.MAX_DOCUMENT_BYTES));
    }

    /** A config that does not parse: at HEAD, the defaults apply; elsewhere it has no say. */
    private static final PolicyConfig BROKEN = new PolicyConfig(null, null, null, null, null);

    private static PolicyConfig parsedPolicy(byte[] bytes) {
        try {
            return WorkspaceConfig.parse(bytes).policyOrDefaults();
        } catch (MverException e) {
            return BROKEN;
        }
    }

    private void checkEntry(Entry e, ObjectReader reader, Map<ModelName, Metadata> indexMetadata, List<Violation> out)
            throws IOException {
        String p = e.path();
        if (p.startsWith(Workspace.MODELS_DIR + "/") && p.endsWith(".json")) {
            checkMetadata(e, reader, out);
            return;
        }
        if (p.startsWith(Workspace.MVER_DIR + "/")) {
            return;
        }
        if (PointerFile.isPointerPath(p)) {
            String artifact = p.substring(0, p.length() - PointerFile.SUFFIX.length());
            informalName(artifact, out);
            changedWithoutVersion(e, artifact, reader, indexMetadata, out);
            return;
        }
        long size = reader.getObjectSize(e.blob(), Constants.OBJ_BLOB);
        boolean model = policy.isModelFile(p);
        if (policy.enabled(Rule.MODEL_IN_GIT) && (model || size > policy.threshold())) {
            out.add(new Violation(Rule.MODEL_IN_GIT.id(), p,
                    model ? "model file staged directly into git"
                            : "file of " + human(size) + " staged directly into git (limit " + human(policy.threshold()) + ")",
                    "git rm --cached " + quote(p) + " && mver add " + quote(p)));
        }
        if (model) {
            informalName(p, out);
        }
    }

    /**
     * Refuses (exit 3) artifacts whose own paths break the policy as {@code check} would report them: {@code add} and
     * {@code register} run this before writing anything, so no pointer and no immutable version violates it.
     */
    public static void requireArtifactPaths(PolicyConfig policy, java.util.Collection<RepoPath> paths) {
        for (RepoPath path : paths) {
            List<Violation> found = new ArrayList<>();
            informalName(policy, path.value(), found);
            if (!found.isEmpty()) {
                Violation v = found.get(0);
                throw MverException.policy("%s: %s; %s, or pass --force", v.path(), v.message(), v.fix());
            }
        }
    }

    private void informalName(String path, List<Violation> out) {
        informalName(policy, path, out);
    }

    private static void informalName(PolicyConfig policy, String path, List<Violation> out) {
        if (!policy.enabled(Rule.INFORMAL_NAME)) {
            return;
        }
        String name = path.substring(path.lastIndexOf('/') + 1);
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        Pattern informal = policy.informalNames();
        if (informal.matcher(stem).find()) {
            out.add(new Violation(Rule.INFORMAL_NAME.id(), path, "informal name '" + name
                    + "': versions belong in mver, not in file names",
                    "rename it for what it is (e.g. model.pkl) and let 'mver register' give the version"));
        }
    }

    private void changedWithoutVersion(Entry e, String artifact, ObjectReader reader,
                                       Map<ModelName, Metadata> indexMetadata, List<Violation> out) throws IOException {
        PointerFile pointer;
        try {
            pointer = PointerFile.parse(reader.open(e.blob()).getCachedBytes(PointerFile.MAX_BYTES + 1));
        } catch (MverException | org.eclipse.jgit.errors.LargeObjectException ex) {
            out.add(new Violation(Rule.CHANGED_WITHOUT_VERSION.id(), e.path(), "malformed pointer: "
                    + ex.getMessage(), "run 'mver add " + quote(artifact) + "' to rewrite it"));
            return;
        }
        if (!policy.enabled(Rule.CHANGED_WITHOUT_VERSION)) {
            return;
        }
        for (Metadata m : indexMetadata.values()) {
            for (ArtifactRef a : m.artifacts()) {
                if (a.path().value().equals(artifact) && !a.sha256().equals(pointer.sha256())) {
                    // Bytes that are already a version (a checked-out or pulled pointer) are never new work.
                    Optional<TagName> holder = versionIndex().versionAt(
                            new ArtifactRef(a.path(), pointer.type(), pointer.sha256(), pointer.size()), m.modelName());
                    if (holder.isPresent()) {
                        TagName wants = new TagName(m.modelName(), m.semVer());
                        out.add(new Violation(Rule.CHANGED_WITHOUT_VERSION.id(), e.path(), artifact + " holds "
                                + holder.get() + "; " + m.modelName() + "'s record wants " + wants,
                                "mver checkout " + wants + "   (or, to use " + holder.get()
                                        + " on this branch: mver checkout " + holder.get() + ")"));
                        continue;
                    }
                    out.add(new Violation(Rule.CHANGED_WITHOUT_VERSION.id(), e.path(), artifact + " changed but "
                            + m.modelName() + " is still v" + m.version() + " (its bytes would be overwritten without "
                            + "a new version)", "mver register " + m.modelName() + " --bump auto -m \"why\"   "
                            + "(or unstage: git restore --staged " + quote(e.path()) + ")"));
                }
            }
        }
    }

    private VersionIndex versionIndex() {
        if (versionIndex == null) {
            versionIndex = new VersionIndex(repo, new EventLog(repo)); // never saved: check writes nothing
        }
        return versionIndex;
    }

    private void checkMetadata(Entry e, ObjectReader reader, List<Violation> out) throws IOException {
        byte[] bytes = reader.open(e.blob()).getBytes(Json.MAX_DOCUMENT_BYTES);
        Metadata m;
        try {
            m = Metadata.parse(bytes, e.path());
        } catch (MverException ex) {
            out.add(new Violation(Rule.MISSING_FIELDS.id(), e.path(), ex.getMessage(),
                    "fix the JSON, or register the model with mver register"));
            return;
        }
        if (policy.enabled(Rule.MISSING_FIELDS)) {
            List<String> missing = missingFields(m, policy.required());
            if (!missing.isEmpty()) {
                out.add(new Violation(Rule.MISSING_FIELDS.id(), e.path(), m.modelName() + " v" + m.version()
                        + " is missing " + String.join(", ", missing), fixFor(m.modelName(), missing)));
            }
        }
        SemVer version = m.semVer();
        TagName tag = new TagName(m.modelName(), version);
        List<SemVer> versions = registry.versions(m.modelName());
        if (versions.contains(version)) {
            Registration reg = registry.readAny(tag);
            if (policy.enabled(Rule.VERSION_ORDER) && (reg.payload() == null
                    || !reg.payload().metadataSha256().equals(Sha256.hash(bytes)))) {
                out.add(new Violation(Rule.VERSION_ORDER.id(), e.path(), tag + " already exists with other content "
                        + "(a released version never changes)", "register a new version: mver register "
                        + m.modelName() + " --bump patch -m \"metadata correction\""));
            }
            return;
        }
        Optional<SemVer> latest = versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
        if (latest.isEmpty()) {
            return;
        }
        if (version.compareTo(latest.get()) <= 0) {
            if (policy.enabled(Rule.VERSION_ORDER)) {
                out.add(new Violation(Rule.VERSION_ORDER.id(), e.path(), m.modelName() + " v" + version
                        + " is not greater than the latest version v" + latest.get() + " (versions never go back)",
                        "mver register " + m.modelName() + " --bump auto -m \"why\""));
            }
            return;
        }
        if (policy.enabled(Rule.BUMP_TOO_SMALL)) {
            Metadata previous = registry.metadata(registry.readAny(new TagName(m.modelName(), latest.get())));
            Violation v = previous == null ? null : bumpViolation(e.path(), previous, m);
            if (v != null) {
                out.add(v);
            }
        }
    }

    /** A violation when going from {@code previous} to {@code next} needs a bigger bump than it makes; else null. */
    public static Violation bumpViolation(String path, Metadata previous, Metadata next) {
        BumpRules.Requirement need = BumpRules.required(previous, next);
        Bump actual = BumpRules.actual(previous.semVer(), next.semVer());
        if (BumpRules.suffices(actual, need.bump())) {
            return null;
        }
        return new Violation(Rule.BUMP_TOO_SMALL.id(), path, next.modelName() + " v" + previous.version() + " -> v"
                + next.version() + " is a " + actual + " bump, but " + String.join("; ", need.reasons())
                + " needs " + need.bump(), "use --bump " + need.bump() + " (or --bump auto)");
    }

    /** The required fields that are null, blank or empty in {@code m}, by name. */
    public static List<String> missingFields(Metadata m, List<MetadataField> required) {
        List<String> missing = new ArrayList<>();
        for (MetadataField f : required) {
            if (f.isEmpty(m)) {
                missing.add(f.id());
            }
        }
        return missing;
    }

    public static String fixFor(ModelName model, List<String> missing) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("library_versions", "--requirements requirements.txt");
        flags.put("dataset_snapshot_id", "--dataset ID");
        flags.put("feature_set_version", "--feature-set VERSION");
        flags.put("reason", "-m \"why\"");
        flags.put("features", "--features a,b,c");
        flags.put("hyperparameters", "--param KEY=VALUE");
        flags.put("metrics", "--metric KEY=VALUE");
        flags.put("training_date", "--training-date DATE");
        flags.put("architecture", "--architecture NAME");
        StringBuilder sb = new StringBuilder("mver register " + model);
        for (String f : missing) {
            sb.append(' ').append(flags.getOrDefault(f, "--metadata FILE.json"));
        }
        return sb.toString();
    }

    private List<Entry> stagedEntries(ObjectReader reader) throws IOException {
        List<Entry> out = new ArrayList<>();
        DirCache index = repo.readDirCache();
        ObjectId head = repo.resolve(Constants.HEAD + "^{tree}");
        try (TreeWalk tw = new TreeWalk(repo, reader)) {
            tw.setRecursive(true);
            if (head == null) {
                tw.addTree(new org.eclipse.jgit.treewalk.EmptyTreeIterator());
            } else {
                tw.addTree(new RevWalk(reader).parseTree(head));
            }
            tw.addTree(new DirCacheIterator(index));
            tw.setFilter(TreeFilter.ANY_DIFF);
            while (tw.next()) {
                DirCacheIterator staged = tw.getTree(1, DirCacheIterator.class);
                if (staged != null && staged.getDirCacheEntry() != null
                        && staged.getDirCacheEntry().getStage() == DirCacheEntry.STAGE_0) {
                    out.add(new Entry(tw.getPathString(), staged.getEntryObjectId()));
                }
            }
        }
        return out;
    }

    private List<Entry> indexEntries() throws IOException {
        DirCache index = repo.readDirCache();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < index.getEntryCount(); i++) {
            DirCacheEntry e = index.getEntry(i);
            if (e.getStage() == DirCacheEntry.STAGE_0) {
                out.add(new Entry(e.getPathString(), e.getObjectId()));
            }
        }
        return out;
    }

    /** Every model's metadata as it stands in the index (what the commit would hold). */
    private Map<ModelName, Metadata> indexMetadata(ObjectReader reader) throws IOException {
        Map<ModelName, Metadata> out = new LinkedHashMap<>();
        for (Entry e : indexEntries()) {
            if (e.path().startsWith(Workspace.MODELS_DIR + "/") && e.path().endsWith(".json")) {
                try {
                    Metadata m = Metadata.parse(reader.open(e.blob()).getBytes(Json.MAX_DOCUMENT_BYTES),
                            e.path());
                    out.put(m.modelName(), m);
                } catch (MverException ex) {
                    // reported by the metadata check when staged
                }
            }
        }
        return out;
    }

    private static String quote(String path) {
        return path.matches("[A-Za-z0-9_./-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    private static String human(long bytes) {
        return bytes >= 1 << 20 ? String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0)
                : bytes + " bytes";
    }

}
