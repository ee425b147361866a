package dev.mver.core.registry;

import dev.mver.core.git.RefNames;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
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
        Map<ModelName, List<SemVer>> models = new TreeMap<>();
        for (TagName t : versionTags()) {
            models.computeIfAbsent(t.model(), k -> new ArrayList<>()).add(t.version());
        }
        models.values().forEach(v -> v.sort(Comparator.naturalOrder()));
        return models;
    }

    /** Names only: no tag object is parsed, no ref file opened. */
    public List<TagName> versionTags() {
        List<TagName> tags = new ArrayList<>();
        for (String name : RefNames.list(repo, Constants.R_TAGS)) {
            TagName t = TagName.parseOrNull(name);
            if (t != null) {
                tags.add(t);
            }
        }
        return tags;
    }

    public List<SemVer> versions(ModelName model) {
        List<SemVer> versions = new ArrayList<>();
        for (String name : RefNames.list(repo, Constants.R_TAGS + model.value() + "@v")) {
            TagName t = TagName.parseOrNull(name);
            if (t != null && t.model().equals(model)) {
                versions.add(t.version());
            }
        }
        versions.sort(Comparator.naturalOrder());
        return versions;
    }

    public Optional<SemVer> latest(ModelName model) {
        List<SemVer> v = versions(model);
        return v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    /** The tag a spec names: the given version, the stage's occupant, or the latest; exit 4 when there is none. */
    public TagName resolve(VersionSpec spec) {
        if (spec.stage() != null) {
            String version = EventLog.replay(new EventLog(repo).events(spec.model())).stages().get(spec.stage());
            if (version == null) {
                throw MverException.notFound("%s has no version in %s", spec.model(), spec.stage());
            }
            return new TagName(spec.model(), SemVer.parse(version));
        }
        if (spec.hasVersion()) {
            TagName tag = new TagName(spec.model(), spec.version());
            if (exactRef(tag.refName()) == null) {
                if (versions(spec.model()).isEmpty()) {
                    throw MverException.notFound("model '%s' has no registered versions", spec.model());
                }
                throw MverException.notFound("version %s not found", tag);
            }
            return tag;
        }
        return latest(spec.model()).map(v -> new TagName(spec.model(), v))
                .orElseThrow(() -> MverException.notFound("model '%s' has no registered versions", spec.model()));
    }

    private Ref exactRef(String name) {
        try {
            return repo.exactRef(name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ref " + name + ": " + e.getMessage(), e);
        }
    }

    /** Reads the annotated tag and its payload; a lightweight or foreign tag is an integrity failure. */
    public Registration read(TagName tag) {
        Ref ref = exactRef(tag.refName());
        if (ref == null) {
            throw MverException.notFound("version %s not found", tag);
        }
        try (RevWalk walk = new RevWalk(repo)) {
            RevObject obj = walk.parseAny(ref.getObjectId());
            if (!(obj instanceof RevTag revTag)) {
                throw MverException.integrity("%s is a lightweight tag, not an mver registration", tag);
            }
            RevObject target = walk.peel(revTag);
            TagPayload payload = verifiedPayload(tag, revTag, target);
            RevCommit commit = (RevCommit) target;
            String message = revTag.getFullMessage();
            var ident = revTag.getTaggerIdent();
            return new Registration(tag, revTag.copy(), commit.copy(),
                    ident == null ? "" : ident.getName(), ident == null ? "" : ident.getEmailAddress(),
                    ident == null ? null : ident.getWhenAsInstant(), message, payload);
        } catch (MissingObjectException e) {
            throw MverException.integrity("tag %s points at a missing object %s", tag, e.getObjectId().name());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tag " + tag + ": " + e.getMessage(), e);
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

    /** The metadata record at a registration, verified against the hash in its tag. */
    public Metadata metadata(Registration reg) {
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

    /** The commit a version tag points at (peeled). */
    public ObjectId commitOf(TagName tag) {
        Ref ref = exactRef(tag.refName());
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
