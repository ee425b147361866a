package dev.mver.core.registry;

import dev.mver.core.git.RefNames;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Origin;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The read side of the registry: version tags, the registration behind each, and files as they were at a tag.
 * All state is in Git refs and objects, so a clone answers exactly as the original does.
 */
public final class GitRegistry {
    private final Repository repo;

    public GitRegistry(Repository repo) {
        this.repo = repo;
    }

    /** Every version tag, grouped by model, versions ascending by SemVer precedence. */
    public Map<ModelName, List<SemVer>> models() {
        return models(RefNames.list(repo, Constants.R_TAGS));
    }

    /** {@link #models()} from {@code tagNames}, every tag's full ref name as listed once by the caller. */
    public Map<ModelName, List<SemVer>> models(List<String> tagNames) {
        Map<ModelName, List<SemVer>> models = new TreeMap<>();
        for (TagName t : versionTags(tagNames)) {
            models.computeIfAbsent(t.model(), k -> new ArrayList<>()).add(t.version());
        }
        models.values().forEach(v -> v.sort(Comparator.naturalOrder()));
        return models;
    }

    /** Names only: no tag object is parsed, no ref file opened. */
    public List<TagName> versionTags() {
        return versionTags(RefNames.list(repo, Constants.R_TAGS));
    }

    private static List<TagName> versionTags(List<String> tagNames) {
        java.util.Set<TagName> tags = new java.util.LinkedHashSet<>();
        for (String name : tagNames) {
            TagName t = TagName.parseOrNull(name);
            if (t != null) {
                tags.add(t);
            } else {
                EventTag counted = EventTag.parseOrNull(name); // GTO's NAME@vX.Y.Z#N registers the version too
                if (counted != null && counted.kind() == EventTag.Kind.REGISTER) {
                    tags.add(new TagName(counted.model(), counted.version()));
                }
            }
        }
        return new ArrayList<>(tags);
    }

    /** The models with a GTO deprecation tag ({@code NAME@deprecated}, counted or not) among {@code tagNames}. */
    public static java.util.Set<ModelName> modelsWithDeprecationTags(List<String> tagNames) {
        java.util.Set<ModelName> out = new java.util.TreeSet<>();
        for (String name : tagNames) {
            if (name.contains("@deprecated")) {
                EventTag t = EventTag.parseOrNull(name);
                if (t != null && t.kind() == EventTag.Kind.DEPRECATE_MODEL) {
                    out.add(t.model());
                }
            }
        }
        return out;
    }

    public List<SemVer> versions(ModelName model) {
        return listing(model).versions();
    }

    /** A model's registrations and the versions deprecated since, ascending, from one listing of tag names. */
    private record Listing(List<SemVer> versions, List<SemVer> current) {
    }

    private Listing listing(ModelName model) {
        java.util.Set<SemVer> registered = new java.util.HashSet<>();
        java.util.Set<SemVer> counted = new java.util.HashSet<>();
        java.util.Set<SemVer> deprecated = new java.util.HashSet<>();
        for (String name : RefNames.list(repo, Constants.R_TAGS + model.value() + "@v")) {
            EventTag t = EventTag.parseOrNull(name);
            if (t == null || !t.model().equals(model)) {
                continue;
            }
            if (t.kind() == EventTag.Kind.REGISTER) {
                registered.add(t.version());
                if (t.number() != null) {
                    counted.add(t.version());
                }
            } else if (t.kind() == EventTag.Kind.DEREGISTER) {
                deprecated.add(t.version());
            }
        }
        if (deprecated.stream().anyMatch(counted::contains)) {
            // GTO re-registers a deregistered version with a counted tag: which came last, the events say.
            deprecated.clear();
            EventLog.replay(new EventLog(repo).events(model)).deprecated().forEach(v -> deprecated.add(SemVer.parse(v)));
        }
        List<SemVer> versions = new ArrayList<>(registered);
        versions.sort(Comparator.naturalOrder());
        return new Listing(versions, deprecated.isEmpty() ? versions
                : versions.stream().filter(v -> !deprecated.contains(v)).toList());
    }

    /**
     * The latest release; a pre-release only when the model has nothing else (semver practice, as npm's). A
     * deprecated (deregistered) version is never the latest, as GTO reads it.
     */
    public Optional<SemVer> latest(ModelName model) {
        return latest(model, false);
    }

    /** {@link #latest(ModelName)}, or with {@code includePreRelease} the highest version that is not deprecated. */
    public Optional<SemVer> latest(ModelName model, boolean includePreRelease) {
        return latestAnnotated(model, listing(model).current(), includePreRelease);
    }

    private Optional<SemVer> latestAnnotated(ModelName model, List<SemVer> current, boolean includePreRelease) {
        // Highest first, releases before pre-releases unless asked; the first whose tag is annotated (a lightweight
        // tag is nobody's registration). Usually the first candidate is it: one tag read.
        for (boolean releasesOnly : includePreRelease ? new boolean[] {false} : new boolean[] {true, false}) {
            for (int i = current.size() - 1; i >= 0; i--) {
                SemVer v = current.get(i);
                if ((!releasesOnly || !v.isPreRelease()) && annotated(new TagName(model, v))) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    /** The tag a spec names: the given version, the stage's occupant, or the latest; exit 4 when there is none. */
    public TagName resolve(VersionSpec spec) {
        return resolve(spec, new EventLog(repo));
    }

    /** {@link #resolve(VersionSpec)}, a stage's occupant read through {@code events} (a read command's cache). */
    public TagName resolve(VersionSpec spec, EventLog events) {
        if (spec.stage() != null) {
            String version = EventLog.replay(events.events(spec.model())).stages().get(spec.stage());
            if (version == null) {
                throw MverException.notFound("%s has no version in %s", spec.model(), spec.stage());
            }
            return new TagName(spec.model(), SemVer.parse(version));
        }
        if (spec.hasVersion()) {
            TagName tag = new TagName(spec.model(), spec.version());
            if (registrationRef(tag) == null) {
                List<SemVer> all = versions(spec.model());
                if (all.isEmpty()) {
                    throw MverException.notFound("model '%s' has no registered versions", spec.model());
                }
                // Build metadata does not tell versions apart: 1.10.1-rc.1 finds the tag 1.10.1-rc.1+build.5.
                List<SemVer> same = all.stream().filter(v -> v.compareTo(spec.version()) == 0).toList();
                if (same.size() == 1) {
                    return new TagName(spec.model(), same.get(0));
                }
                throw MverException.notFound("version %s not found", tag);
            }
            return tag;
        }
        Listing listing = listing(spec.model());
        if (!listing.versions().isEmpty() && listing.current().isEmpty()) {
            throw MverException.notFound("every version of %s is deprecated; name one (NAME@vX.Y.Z)", spec.model());
        }
        return latestAnnotated(spec.model(), listing.current(), spec.includePreRelease())
                .map(v -> new TagName(spec.model(), v))
                .orElseThrow(() -> MverException.notFound("model '%s' has no registered versions", spec.model()));
    }

    /**
     * The tag that registers {@code tag}'s version: {@code NAME@vX.Y.Z}, or where only GTO's counted form exists
     * ({@code gto register --simple false}: {@code NAME@vX.Y.Z#N}) the first of those; null when none does.
     */
    private Ref registrationRef(TagName tag) {
        Ref plain = exactRef(tag.refName());
        if (plain != null) {
            return plain;
        }
        try {
            Ref first = null;
            long lowest = Long.MAX_VALUE;
            for (Ref r : repo.getRefDatabase().getRefsByPrefix(tag.refName() + "#")) {
                EventTag t = EventTag.parseOrNull(r.getName());
                if (t != null && t.kind() == EventTag.Kind.REGISTER && t.number() != null && t.number() < lowest
                        && t.model().equals(tag.model()) && t.version().equals(tag.version())) {
                    first = r;
                    lowest = t.number();
                }
            }
            return first;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list tags of " + tag + ": " + e.getMessage(), e);
        }
    }

    private Ref exactRef(String name) {
        try {
            return repo.exactRef(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ref " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the annotated tag and its payload; a lightweight tag, one made by another tool ({@link ForeignVersion})
     * and one that replaced an mver registration are integrity failures (exit 6).
     */
    public Registration read(TagName tag) {
        return read(tag, false);
    }

    /** As {@link #read}, but a version registered by another tool comes back too, with no payload. */
    public Registration readAny(TagName tag) {
        return read(tag, true);
    }

    /** As {@link #readAny(TagName)}, for a caller that has listed the tags already and holds {@code ref}. */
    public Registration readAny(TagName tag, Ref ref) {
        return read(tag, ref, true);
    }

    private Registration read(TagName tag, boolean foreignToo) {
        Ref ref = registrationRef(tag);
        if (ref == null) {
            throw MverException.notFound("version %s not found", tag);
        }
        return read(tag, ref, foreignToo);
    }

    private Registration read(TagName tag, Ref ref, boolean foreignToo) {
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject obj = walk.parseAny(ref.getObjectId());
            if (!(obj instanceof RevTag revTag)) {
                throw MverException.integrity("%s is a lightweight tag, not an mver registration", tag);
            }
            RevObject target = walk.peel(revTag);
            TagPayload payload;
            if (TagMessage.payloadJson(revTag.getFullMessage()) == null) {
                MverException why = withoutPayload(tag);
                if (!(foreignToo && why instanceof ForeignVersion) || !(target instanceof RevCommit)) {
                    throw why;
                }
                payload = null;
            } else {
                payload = verifiedPayload(tag, revTag, target);
            }
            RevCommit commit = (RevCommit) target;
            var ident = revTag.getTaggerIdent();
            return new Registration(tag, revTag.copy(), commit.copy(),
                    ident == null ? "" : ident.getName(), ident == null ? "" : ident.getEmailAddress(),
                    ident == null ? null : ident.getWhenAsInstant(), revTag.getFullMessage(), payload);
        } catch (MissingObjectException e) {
            throw MverException.integrity("tag %s points at a missing object %s", tag, e.getObjectId().name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
        }
    }

    /**
     * Why a version's tag has no payload: another tool's registration ({@link ForeignVersion}) when mver has not
     * registered the model below it, tampering otherwise (mver registered the model from a lower version on, and
     * every mver registration carries its payload, so this tag replaced one).
     */
    private MverException withoutPayload(TagName tag) {
        SemVer first = firstMverVersion(tag.model());
        if (first != null && first.compareTo(tag.version()) < 0) {
            return MverException.integrity("%s carries no mver payload, yet %s is mver's from %s on: the tag was "
                    + "replaced (tampered); restore it from a clone that has it (git fetch --force origin tag %s)",
                    tag, tag.model(), first.tagForm(), tag);
        }
        return new ForeignVersion(tag);
    }

    /** Who made {@code tag}: mver, another tool, or nobody honest. */
    public Origin origin(TagName tag) {
        try {
            read(tag);
            return Origin.MVER;
        } catch (ForeignVersion e) {
            return Origin.OTHER_TOOL;
        } catch (MverException e) {
            if (e.exitCode() == ExitCode.INTEGRITY) {
                return Origin.TAMPERED;
            }
            throw e;
        }
    }

    /**
     * Who made {@code tag}, judged by whether tags carry a payload at all, without reading one: for listings that
     * must stay fast on thousands of versions ({@code list}). {@link #origin} and {@code verify} judge the payload.
     */
    public Origin originAtAGlance(TagName tag) {
        try (RevWalk walk = new RevWalk(repo)) {
            if (carriesPayload(walk, tag)) {
                return Origin.MVER;
            }
            for (SemVer v : versions(tag.model())) {
                if (v.compareTo(tag.version()) >= 0) {
                    break;
                }
                if (carriesPayload(walk, new TagName(tag.model(), v))) {
                    return Origin.TAMPERED;
                }
            }
            return Origin.OTHER_TOOL;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tags of " + tag.model() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the version's tag is annotated: a lightweight one is no registration, as GTO reads it. */
    public boolean annotated(TagName tag) {
        try (RevWalk walk = new RevWalk(repo)) {
            Ref ref = registrationRef(tag);
            return ref != null && walk.parseAny(ref.getObjectId()) instanceof RevTag;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
        }
    }

    private boolean carriesPayload(RevWalk walk, TagName tag) throws IOException {
        Ref ref = registrationRef(tag);
        RevObject obj = ref == null ? null : walk.parseAny(ref.getObjectId());
        return obj instanceof RevTag revTag && TagMessage.payloadJson(revTag.getFullMessage()) != null;
    }

    /** The lowest version of {@code model} whose tag carries a sound mver payload; null when none does. */
    public SemVer firstMverVersion(ModelName model) {
        try (RevWalk walk = new RevWalk(repo)) {
            for (SemVer v : versions(model)) {
                TagName tag = new TagName(model, v);
                Ref ref = registrationRef(tag);
                RevObject obj = ref == null ? null : walk.parseAny(ref.getObjectId());
                if (obj instanceof RevTag revTag && TagMessage.payloadJson(revTag.getFullMessage()) != null) {
                    try {
                        verifiedPayload(tag, revTag, walk.peel(revTag));
                        return v;
                    } catch (MverException e) {
                        // a payload that is not this version's own does not make the model mver's
                    }
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tags of " + model + ": " + e.getMessage(), e);
        }
    }

    /**
     * The payload of {@code revTag} (peeled to {@code target}) when it is a sound registration of {@code tag}:
     * it points at a commit, names itself {@code tag}, and carries {@code tag}'s own payload; exit 6 otherwise.
     * The one check behind every read of a registration, cached or not.
     */
    static TagPayload verifiedPayload(TagName tag, RevTag revTag, RevObject target) {
        if (!(target instanceof RevCommit)) {
            throw MverException.integrity("tag %s does not point at a commit", tag);
        }
        if (!revTag.getTagName().equals(tag.shortName())) {
            throw MverException.integrity("tag %s names itself '%s'", tag, revTag.getTagName());
        }
        TagPayload payload = TagPayload.fromMessage(tag.shortName(), revTag.getFullMessage());
        if (!payload.model().equals(tag.model()) || !SemVer.parse(payload.version()).equals(tag.version())) {
            throw MverException.integrity("tag %s carries the payload of %s@v%s", tag, payload.model(),
                    payload.version());
        }
        return payload;
    }

    /**
     * The metadata record at a registration: mver's verified against the hash in its tag; another tool's is the
     * record its commit holds for the model (null when it holds none), with the pointer beside each of its artifacts
     * checked against it, since nothing else vouches for it.
     */
    public Metadata metadata(Registration reg) {
        if (reg.payload() == null) {
            return foreignRecord(reg);
        }
        byte[] bytes = readFile(reg.commit(), reg.payload().metadataPath(), reg.tag().toString());
        if (!Sha256.hash(bytes).equals(reg.payload().metadataSha256())) {
            throw MverException.integrity("metadata of %s does not match the hash in its tag (tampered or rewritten)",
                    reg.tag());
        }
        Metadata m;
        try {
            m = Metadata.parse(bytes, "metadata of " + reg.tag());
        } catch (MverException e) {
            throw new MverException(ExitCode.INTEGRITY, e.getMessage());
        }
        if (!m.modelName().equals(reg.tag().model()) || !m.semVer().equals(reg.tag().version())) {
            throw MverException.integrity("metadata of %s says %s@v%s", reg.tag(), m.modelName(), m.version());
        }
        if (!new java.util.HashSet<>(m.artifacts()).equals(new java.util.HashSet<>(reg.payload().artifacts()))) {
            throw MverException.integrity("artifacts in the metadata of %s differ from those in its tag", reg.tag());
        }
        return m;
    }

    /** The artifacts a version needs: its payload's, or for another tool's version its commit's record's (if any). */
    public List<ArtifactRef> artifacts(Registration reg) {
        if (reg.payload() != null) {
            return reg.payload().artifacts();
        }
        Metadata m = foreignRecord(reg);
        return m == null ? List.of() : m.artifacts();
    }

    private Metadata foreignRecord(Registration reg) {
        String where = reg.tag() + " (registered by another tool)";
        RepoPath path = Metadata.recordPath(reg.tag().model());
        byte[] bytes;
        try {
            bytes = readFile(reg.commit(), path, where);
        } catch (MverException e) {
            if (e.exitCode() == ExitCode.NOT_FOUND) {
                return null;
            }
            throw e;
        }
        Metadata m;
        try {
            m = Metadata.parse(bytes, path + " at " + where);
        } catch (MverException e) {
            throw new MverException(ExitCode.INTEGRITY, e.getMessage());
        }
        if (!m.modelName().equals(reg.tag().model())) {
            throw MverException.integrity("%s at %s is the record of model %s", path, where, m.modelName());
        }
        for (ArtifactRef a : m.artifacts()) {
            RepoPath pointerPath = a.path().withSuffix(".mver");
            byte[] pointer;
            try {
                pointer = readFile(reg.commit(), pointerPath, where);
            } catch (MverException e) {
                if (e.exitCode() == ExitCode.NOT_FOUND) {
                    continue;
                }
                throw e;
            }
            ArtifactRef named;
            try {
                dev.mver.core.store.PointerFile p = dev.mver.core.store.PointerFile.parse(pointer);
                named = new ArtifactRef(a.path(), p.type(), p.sha256(), p.size());
            } catch (MverException e) {
                throw MverException.integrity("pointer %s at %s is malformed: %s", pointerPath, where, e.getMessage());
            }
            if (!named.equals(a)) {
                throw MverException.integrity("pointer %s at %s names %s, the record %s", pointerPath, where,
                        named.sha256().shortHex(), a.sha256().shortHex());
            }
        }
        return m;
    }

    /** The commit a version tag points at (peeled). */
    public ObjectId commitOf(TagName tag) {
        Ref ref = registrationRef(tag);
        if (ref == null) {
            throw MverException.notFound("version %s not found", tag);
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject target = walk.peel(walk.parseAny(ref.getObjectId()));
            if (!(target instanceof RevCommit)) {
                throw MverException.integrity("tag %s does not point at a commit", tag);
            }
            return target.copy();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
        }
    }

    /** A small file as committed in {@code commit}; exit 4 when it is not there. */
    public byte[] readFile(ObjectId commit, RepoPath path, String where) {
        try (RevWalk walk = new RevWalk(repo); ObjectReader reader = repo.newObjectReader()) {
            RevCommit c = walk.parseCommit(commit);
            try (TreeWalk tw = TreeWalk.forPath(reader, path.value(), c.getTree())) {
                if (tw == null) {
                    throw MverException.notFound("%s has no file %s", where, path);
                }
                ObjectLoader loader = reader.open(tw.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > Json.MAX_DOCUMENT_BYTES) {
                    throw MverException.integrity("%s in %s is larger than %d bytes", path, where,
                            Json.MAX_DOCUMENT_BYTES);
                }
                return loader.getBytes();
            }
        } catch (MissingObjectException e) {
            throw MverException.integrity("%s in %s: object %s is missing", path, where, e.getObjectId().name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " at " + where + ": " + e.getMessage(), e);
        }
    }
}
