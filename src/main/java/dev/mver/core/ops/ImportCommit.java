package dev.mver.core.ops;

import dev.mver.core.git.GitIdentity;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.io.IOException;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;

/**
 * The commit an import of another tool's files ends with (git-lfs, DVC): made of exactly what the import staged,
 * so it refuses to start over the user's own staged changes.
 */
final class ImportCommit {
    private ImportCommit() {
    }

    /** Refuses to run over staged changes, which the import's commit would carry along. */
    static void requireNothingStaged(Repository repo) {
        try (Git git = new Git(repo)) {
            if (repo.resolve(Constants.HEAD) != null && !git.diff().setCached(true).call().isEmpty()) {
                throw MverException.usage("the index has staged changes: commit or unstage them first (the import "
                        + "makes a commit of its own)");
            }
        } catch (GitAPIException | IOException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot compare the index with HEAD: " + e.getMessage(), e);
        }
    }

    /** Commits the index with {@code message}; returns the commit's id. */
    static String commit(Repository repo, GitIdentity identity, String message) {
        GitIdentity.Signatures who = identity.sign(repo);
        try (Git git = new Git(repo)) {
            return git.commit().setMessage(message).setAuthor(who.author()).setCommitter(who.committer())
                    .setNoVerify(true).call().getId().name();
        } catch (GitAPIException e) {
            throw new MverException(ExitCode.LOCAL_IO, "the files moved and are staged, but the commit failed: "
                    + e.getMessage() + "; commit them with git commit", e);
        }
    }
}
