package dev.mver.core.ops;

import dev.mver.core.git.GitIdentity;
import dev.mver.core.git.RegistrySync;
import dev.mver.core.git.TagWriter;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheCheckout;
import org.eclipse.jgit.errors.CheckoutConflictException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Rewrites the local registrations of a model that lost a race, for {@code register --retry}: before registering, take in what the git remote has. When a local registration lost
 * a race (someone pushed the same version first), the unpushed registration commits of this model are set aside:
 * their tags are deleted, the branch moves to the remote's, and the work tree follows; the artifact bytes stay in
 * the work tree and the cache, so the next registration takes the next free version with them. Anything else
 * unpushed (ordinary commits, other models' registrations) stops it with exit 5, so no work is ever dropped.
 */
public final class RegistrationRebase {
    private final Repository repo;
    private final RegistrySync sync;
    private final GitIdentity identity;

    public RegistrationRebase(Repository repo, RegistrySync sync, GitIdentity identity) {
        this.repo = repo;
        this.sync = sync;
        this.identity = identity;
    }

    /** Returns the local tags that were set aside. */
    public List<String> catchUp(String remote, ModelName model) {
        if (!sync.hasRemote(remote)) {
            throw MverException.notFound("--retry needs the git remote '%s'", remote);
        }
        String branch = TagWriter.currentBranch(repo);
        String remoteTags = "refs/mver/remote-tags/" + remote + "/";
        fetchWithoutTags(remote, remoteTags);
        try {
            Ref head = repo.exactRef(branch);
            Ref theirs = repo.exactRef("refs/remotes/" + remote + "/" + Repository.shortenRefName(branch));
            if (theirs == null) {
                return List.of(); // the remote has no such branch yet: nothing to catch up with
            }
            List<RevCommit> unpushed = unpushed(head, theirs);
            List<Ref> lost = lostRegistrations(model, unpushed, remoteTags);
            requireOnlyRegistrations(unpushed, model, branch);
            // Every unpushed commit is a registration that lost the race: the branch can move to the remote's.
            if (head == null || !head.getObjectId().equals(theirs.getObjectId())) {
                moveTo(branch, head == null ? null : head.getObjectId(), theirs.getObjectId());
            }
            List<String> dropped = setAside(lost);
            sync.fetch(remote);
            return dropped;
        } catch (IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot catch up with '" + remote + "': " + e.getMessage(), e);
        }
    }

    /** The remote's branches, and its tags under {@code remoteTags} (not over the local ones they may differ from). */
    private void fetchWithoutTags(String remote, String remoteTags) {
        try (Git git = new Git(repo)) {
            git.fetch().setRemote(remote).setCredentialsProvider(sync.credentials())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/" + remote + "/*"),
                            new RefSpec("+refs/tags/*:" + remoteTags + "*"))
                    .setTagOpt(org.eclipse.jgit.transport.TagOpt.NO_TAGS).call();
        } catch (GitAPIException e) {
            throw RegistrySync.failure(remote, "fetch from", e);
        }
    }

    /** The local commits the remote's branch does not have. */
    private List<RevCommit> unpushed(Ref head, Ref theirs) throws IOException {
        List<RevCommit> unpushed = new ArrayList<>();
        if (head == null) {
            return unpushed;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            walk.markStart(walk.parseCommit(head.getObjectId()));
            walk.markUninteresting(walk.parseCommit(theirs.getObjectId()));
            for (RevCommit c : walk) {
                unpushed.add(c);
            }
        }
        return unpushed;
    }

    /**
     * The registry tags on unpushed commits that the remote does not have as they are: registrations of
     * {@code model} that lost the race. One of another model stops everything (exit 5).
     */
    private List<Ref> lostRegistrations(ModelName model, List<RevCommit> unpushed, String remoteTags)
            throws IOException {
        Map<String, ObjectId> published = new HashMap<>();
        for (Ref r : repo.getRefDatabase().getRefsByPrefix(remoteTags)) {
            published.put(Constants.R_TAGS + r.getName().substring(remoteTags.length()), r.getObjectId());
        }
        Set<ObjectId> unpushedIds = new HashSet<>(unpushed);
        List<Ref> lost = new ArrayList<>();
        for (Ref tag : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS)) {
            EventTag t = EventTag.parseOrNull(tag.getName());
            ObjectId target = repo.getRefDatabase().peel(tag).getPeeledObjectId();
            ObjectId commit = target != null ? target : tag.getObjectId();
            if (t == null || !unpushedIds.contains(commit) || tag.getObjectId().equals(published.get(tag.getName()))) {
                continue;
            }
            if (!t.model().equals(model)) {
                throw MverException.conflict("unpushed registration %s of another model is in the way; push it or set "
                        + "it aside first", Repository.shortenRefName(tag.getName()));
            }
            lost.add(tag);
        }
        return lost;
    }

    private static void requireOnlyRegistrations(List<RevCommit> unpushed, ModelName model, String branch) {
        for (RevCommit c : unpushed) {
            if (!c.getFullMessage().startsWith("mver: register " + model + "@")) {
                throw MverException.conflict("%s has unpushed commits that are not registrations of %s (%s); git pull "
                        + "--rebase first", Repository.shortenRefName(branch), model, c.abbreviate(10).name());
            }
        }
    }

    /** Deletes the lost tags (each only if it is still what was read); returns their names. */
    private List<String> setAside(List<Ref> lost) throws IOException {
        List<String> dropped = new ArrayList<>();
        for (Ref tag : lost) {
            RefUpdate del = repo.updateRef(tag.getName());
            del.setExpectedOldObjectId(tag.getObjectId());
            del.setForceUpdate(true);
            RefUpdate.Result r = del.delete();
            if (r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD && r != RefUpdate.Result.NO_CHANGE) {
                throw MverException.conflict("cannot set aside %s (%s)", tag.getName(), r);
            }
            dropped.add(Repository.shortenRefName(tag.getName()));
        }
        return dropped;
    }

    /** Moves the branch to {@code target} and checks out the difference, refusing to overwrite local changes. */
    private void moveTo(String branch, ObjectId from, ObjectId target) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit to = walk.parseCommit(target);
            DirCache index = repo.lockDirCache();
            try {
                DirCacheCheckout checkout = new DirCacheCheckout(repo,
                        from == null ? null : walk.parseCommit(from).getTree(), index, to.getTree());
                checkout.setFailOnConflict(true);
                checkout.checkout();
            } catch (CheckoutConflictException e) {
                throw MverException.conflict("local changes to %s would be overwritten by the remote's registration; "
                        + "commit or stash them first", String.join(", ", e.getConflictingFiles()));
            } finally {
                index.unlock();
            }
            RefUpdate u = repo.updateRef(branch);
            u.setExpectedOldObjectId(from == null ? ObjectId.zeroId() : from);
            u.setNewObjectId(target);
            u.setForceUpdate(true);
            u.setRefLogIdent(identity.sign(repo).committer());
            u.setRefLogMessage("mver register --retry: catch up with the remote", false);
            RefUpdate.Result r = u.update(walk);
            if (r != RefUpdate.Result.FORCED && r != RefUpdate.Result.FAST_FORWARD && r != RefUpdate.Result.NEW
                    && r != RefUpdate.Result.NO_CHANGE) {
                throw MverException.conflict("%s changed while catching up (%s); run the command again",
                        Repository.shortenRefName(branch), r);
            }
        }
    }
}
