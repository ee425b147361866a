package dev.mver.core.io;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A folder that mver writes into (a work tree, a checkout target) and the rule that keeps writes inside it: a
 * {@link RepoPath} is resolved under the root and refused when any existing folder on the way is a symbolic link,
 * so a hostile repository cannot redirect a write outside the tree (CVE-2025-26625, CVE-2023-4759).
 */
public final class SafeTree {
    private final Path root;

    public SafeTree(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The location of {@code path} for reading; still refuses symlinked parent folders. */
    public Path resolve(RepoPath path) {
        Path target = root.resolve(path.value()).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new MverException(ExitCode.USAGE, "path '" + path + "' is outside " + root);
        }
        Path p = root;
        Path rel = root.relativize(target);
        for (int i = 0; i < rel.getNameCount() - 1; i++) {
            p = p.resolve(rel.getName(i));
            if (Files.isSymbolicLink(p)) {
                throw new MverException(ExitCode.USAGE, "refusing to use '" + path + "': folder '"
                        + root.relativize(p) + "' is a symbolic link");
            }
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new MverException(ExitCode.USAGE, "refusing to use '" + path + "': '"
                        + root.relativize(p) + "' is a file, not a folder");
            }
        }
        return target;
    }

    /** The location of {@code path} for writing: its parent folders are created, none of them a link. */
    public Path prepareWrite(RepoPath path) {
        Path target = resolve(path);
        try {
            Files.createDirectories(target.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder for " + path + ": " + e.getMessage(), e);
        }
        // A link could have been created between the check and the mkdir; check the finished chain once more.
        resolve(path);
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new MverException(ExitCode.CONFLICT, "cannot write file '" + path + "': a folder is in the way");
        }
        return target;
    }

    /** The folder {@code path}, created with its parents where missing, none of them a link. */
    public Path prepareFolder(RepoPath path) {
        Path target = resolve(path);
        try {
            if (Files.isSymbolicLink(target)) {
                throw new MverException(ExitCode.USAGE, "refusing to use '" + path + "': it is a symbolic link");
            }
            Files.createDirectories(target);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new MverException(ExitCode.CONFLICT, "cannot create folder '" + path + "': a file is in the way");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create folder " + path + ": " + e.getMessage(), e);
        }
        resolve(path);
        if (Files.isSymbolicLink(target)) {
            throw new MverException(ExitCode.USAGE, "refusing to use '" + path + "': it is a symbolic link");
        }
        return target;
    }
}
