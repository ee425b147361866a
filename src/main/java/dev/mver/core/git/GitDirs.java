package dev.mver.core.git;

import dev.mver.core.value.MverException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;

/**
 * mver's own folders inside git's directory, where no commit can reach: {@code mver/} in the common directory for
 * what the whole repository shares (the object cache, the event cache), and {@code mver/} in each work tree's own
 * git directory for what belongs to one work tree (the stat cache, its lock). Linked work trees
 * ({@code git worktree add}) share the first and each have the second, as they share objects and refs but not
 * their index.
 */
public final class GitDirs {
    static final String MVER = "mver";

    private GitDirs() {
    }

    /** mver's folder shared by every work tree of the repository. */
    public static Path shared(Repository repo) {
        return repo.getCommonDirectory().toPath().toAbsolutePath().normalize().resolve(MVER);
    }

    /** mver's folder of this work tree alone (the same as {@link #shared} in the main work tree). */
    public static Path ownWorkTree(Repository repo) {
        return repo.getDirectory().toPath().toAbsolutePath().normalize().resolve(MVER);
    }

    /**
     * Refuses (exit 2) when any existing folder from below {@code base} down to {@code target} is a symbolic link:
     * mver never writes into its own folders through a link, which could lead into another repository's cache.
     * {@code advice} ends the message (how to share a cache on purpose).
     */
    public static void requireNoLinks(Path base, Path target, String advice) {
        Path rel = base.relativize(target);
        Path p = base;
        for (Path part : rel) {
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                throw MverException.usage("'%s' is a symbolic link; mver never follows links in its own folders%s",
                        p, advice);
            }
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
        }
    }
}
