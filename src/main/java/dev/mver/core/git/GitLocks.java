package dev.mver.core.git;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Git's {@code *.lock} files. A git or mver command killed mid-write leaves its lock behind, and every later write
 * fails on it until someone removes it. A lock older than a few seconds is almost certainly such a leftover, so
 * the error names it and says how to recover instead of suggesting a retry that can never succeed.
 */
public final class GitLocks {
    /** A lock younger than this is probably held by a command that is still running. */
    static final long FRESH_MILLIS = 5_000;

    private GitLocks() {
    }

    /** The first of {@code files}' lock files (paths inside {@code gitDir}) that is older than a live write. */
    public static Path stale(Path gitDir, String... files) {
        for (String f : files) {
            Path lock = gitDir.resolve(f + ".lock");
            try {
                long age = System.currentTimeMillis()
                        - Files.getLastModifiedTime(lock, LinkOption.NOFOLLOW_LINKS).toMillis();
                if (age >= FRESH_MILLIS) {
                    return lock;
                }
            } catch (IOException e) {
                // no such lock
            }
        }
        return null;
    }

    /**
     * Refuses at once (exit 5) when a stale lock stands in the way of moving {@code refNames}; JGit would otherwise
     * back off for seconds before failing, and a retry can never succeed.
     */
    public static void requireNoneStale(org.eclipse.jgit.lib.Repository repo, String... refNames) {
        String[] files = new String[refNames.length + 1];
        files[0] = "packed-refs";
        System.arraycopy(refNames, 0, files, 1, refNames.length);
        // packed-refs and refs/ live in the common directory, shared by every linked work tree.
        Path gitDir = repo.getCommonDirectory().toPath();
        Path lock = stale(gitDir, files);
        if (lock != null) {
            throw MverException.conflict("%s", advice(gitDir, lock));
        }
    }

    /** The one-line message for a stale lock. */
    public static String advice(Path gitDir, Path lock) {
        String name = gitDir.getFileName() + "/" + gitDir.relativize(lock).toString().replace('\\', '/');
        return "git's lock file " + name + " is in the way (a git or mver command was killed while writing, or is "
                + "still running); if no git command is running, remove " + name + " and run the command again";
    }

    /**
     * A failure to read or lock git's index as a user-facing error: a lock held by another git or mver command is
     * a conflict (exit 5), not a bug; one left behind long ago is named with the way out.
     */
    public static MverException indexFailure(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.eclipse.jgit.errors.LockFailedException locked) {
                Path file = locked.getFile().toPath();
                Path lock = stale(file.getParent(), file.getFileName().toString());
                if (lock != null) {
                    return MverException.conflict("%s", advice(file.getParent(), lock));
                }
                return MverException.conflict("git's index is locked by another git command (a commit "
                        + "waiting in its editor?); nothing was changed: finish it and run the command again");
            }
        }
        return new MverException(ExitCode.LOCAL_IO, "cannot update the git index: "
                + e.getMessage(), e);
    }
}
