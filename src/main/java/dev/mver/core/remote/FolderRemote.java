package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.CrashPoints;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.store.HashingCopy;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A remote on a shared folder (NFS, SMB, a mounted disk). Objects are copied to a temp file in the target folder,
 * verified, fsynced and linked into place with a create-only hard link (rename where links are unsupported), so a
 * reader never sees a partial object and an existing object is never replaced.
 */
public final class FolderRemote implements RemoteStore {
    /** A folder path (relative to the work tree, or absolute, or {@code file://}); it takes no options. */
    public static final RemoteKind KIND = new RemoteKind() {
        @Override
        public String name() {
            return "folder";
        }

        @Override
        public boolean serves(RemoteConfig remote) {
            return remote.scheme() == null || remote.scheme().equals("file");
        }

        @Override
        public Set<String> options() {
            return Set.of();
        }

        @Override
        public void validate(RemoteConfig remote) {
            folder(remote, Path.of("."));
        }

        @Override
        public RemoteStore open(RemoteConfig remote, Context context) {
            return new FolderRemote(folder(remote, context.workTree()));
        }

        /** A folder remote is created when it is added; later, a missing folder means an unmounted share. */
        @Override
        public void create(RemoteConfig remote, Path workTree) {
            try {
                Files.createDirectories(folder(remote, workTree));
            } catch (IOException e) {
                throw new MverException(ExitCode.REMOTE, "cannot create the remote folder: " + e.getMessage(), e);
            }
        }
    };

    private final Path root;

    /** A relative folder is relative to the work tree, so the committed config means the same for everyone. */
    private static Path folder(RemoteConfig remote, Path workTree) {
        String url = remote.url();
        try {
            Path path = Path.of(url.startsWith("file://") ? url.substring("file://".length()) : url);
            return path.isAbsolute() ? path : workTree.resolve(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw MverException.usage("remote folder '%s' is not a valid path", dev.mver.core.value.Text.printable(url, 80));
        }
    }

    public FolderRemote(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return root.toString();
    }

    private Path pathOf(Sha256 sha) {
        return root.resolve(RemoteStore.key("", sha));
    }

    @Override
    public long size(Sha256 sha) {
        try {
            Path p = pathOf(sha);
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public Map<Sha256, Long> inventory() {
        Map<Sha256, Long> out = new HashMap<>();
        Path objects = root.resolve("objects");
        requireMounted();
        if (!Files.isDirectory(objects)) {
            return out;
        }
        try {
            // One stat per entry, from the walk itself: a store of 20,000 objects was three each.
            Files.walkFileTree(objects, java.util.Set.of(), 2, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes a) {
                    Sha256 sha = ArtifactCache.objectName(objects, p);
                    if (sha != null && a.isRegularFile()) {
                        out.put(sha, a.size());
                    }
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot list " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public InputStream open(Sha256 sha) {
        try {
            return Files.newInputStream(pathOf(sha));
        } catch (NoSuchFileException e) {
            throw MverException.notFound("object %s is not on remote %s", sha.shortHex(), root);
        } catch (IOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot read from " + root + ": " + e.getMessage(), e);
        }
    }

    private void requireMounted() {
        if (!Files.isDirectory(root)) {
            throw new MverException(ExitCode.REMOTE, "remote folder " + root + " does not exist or is not mounted");
        }
    }

    @Override
    public void upload(Sha256 sha, Path file, long size, ProgressListener progress, boolean replace) {
        Path target = pathOf(sha);
        try {
            requireMounted();
            Files.createDirectories(target.getParent());
            Path temp = AtomicFiles.tempBeside(target);
            try {
                HashingCopy.Result r = HashingCopy.copy(file, temp, progress);
                if (!r.sha256().equals(sha) || r.size() != size) {
                    throw MverException.integrity("local object %s is corrupt; not uploaded (run mver verify --all)",
                            sha.shortHex());
                }
                CrashPoints.reached("push: object copied, not linked into place");
                if (replace) {
                    AtomicFiles.moveIntoPlace(temp, target); // over the damaged copy, atomically
                    return;
                }
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    return; // same name, same bytes: someone else uploaded it first
                } catch (UnsupportedOperationException | IOException e) {
                    if (!Files.exists(target)) {
                        AtomicFiles.moveIntoPlace(temp, target);
                    }
                }
                AtomicFiles.fsyncDirectory(target.getParent());
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot upload to " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void download(Sha256 sha, long size, ArtifactCache cache, String what, ProgressListener progress) {
        try (InputStream in = Files.newInputStream(pathOf(sha))) {
            cache.ingestVerified(in, sha, size, what, progress);
        } catch (NoSuchFileException e) {
            throw MverException.notFound("object %s for %s is not on remote %s", sha.shortHex(), what, root);
        } catch (IOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot read from " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
    }

}
