package dev.mver.core.git;

import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.CrashPoints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * A few refs moved together as git's own files backend moves them ({@code git update-ref --stdin}): every ref's
 * {@code .lock} taken first, each old value checked under its lock, then the locks renamed into place. Only the
 * names involved are looked at, so the cost does not grow with the number of refs; JGit's atomic batch lists every
 * loose ref to check name conflicts and rewrites {@code packed-refs}, a second or more at 20,000 tags. Every git
 * command honours these locks, so no reader or writer sees a half-moved set of refs through them; a crash between
 * two renames can leave some moved (as with git), so the order puts the registry's record first: tags, then mver's
 * counters, then branches. A crash part way leaves a tagged registration whose commit the branch does not hold yet
 * (as if registered on another branch; checkout brings its files), or a tag whose counter lags (the next event
 * compares against the counter as it is), never a registration commit without its tag, which would read as a lost
 * tag.
 */
public final class RefTransaction {
    /** One ref to move from {@code oldId} (zero: must not exist) to {@code newId}. */
    public record Update(String name, ObjectId oldId, ObjectId newId) {
    }

    /** How a transaction ended. */
    public enum Result {
        OK,
        /** Another command holds one of the refs' locks. */
        LOCKED,
        /** A ref's value is not the expected old one. */
        CHANGED,
        /** A ref exists where a folder of the new name would be, or the other way round. */
        NAME_CONFLICT
    }

    private final Repository repo;
    private final Path common;

    private RefTransaction(Repository repo) {
        this.repo = repo;
        this.common = repo.getCommonDirectory().toPath();
    }

    /** The transaction for {@code repo}'s ref store; null when it is not git's files backend (reftable). */
    public static RefTransaction of(Repository repo) {
        Path common = repo.getCommonDirectory().toPath();
        String storage = repo.getConfig().getString("extensions", null, "refStorage");
        if (Files.exists(common.resolve("reftable")) || (storage != null && !storage.equals("files"))) {
            return null;
        }
        return new RefTransaction(repo);
    }

    /** Moves every ref of {@code updates} or none, logging each move as git would with {@code message}. */
    public Result commit(List<Update> updates, PersonIdent who, String message) throws IOException {
        List<Update> ordered = new ArrayList<>(updates);
        ordered.sort(Comparator.comparing((Update u) -> rank(u.name())).thenComparing(Update::name));
        Map<String, String> packed = new HashMap<>();
        Set<String> names = new HashSet<>();
        ordered.forEach(u -> names.add(u.name()));
        boolean[] packedConflict = {false};
        RefNames.forEachPacked(common.resolve(Constants.PACKED_REFS), (name, id, peeled) -> {
            if (names.contains(name)) {
                packed.put(name, id);
            }
            for (String n : names) {
                if (inside(name, n) || inside(n, name)) {
                    packedConflict[0] = true;
                }
            }
        });
        if (packedConflict[0] || ordered.stream().anyMatch(u -> looseConflict(u.name()))) {
            return Result.NAME_CONFLICT;
        }
        List<Path> locks = new ArrayList<>();
        List<Path> folders = new ArrayList<>(); // made for the locks, removed again when nothing moved
        try {
            for (Update u : ordered) {
                Path lock = common.resolve(u.name() + ".lock");
                for (Path f = lock.getParent(); !Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS); f = f.getParent()) {
                    folders.add(f);
                }
                Files.createDirectories(lock.getParent());
                try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                    locks.add(lock);
                    ByteBuffer bytes = ByteBuffer.wrap((u.newId().name() + "\n").getBytes(StandardCharsets.US_ASCII));
                    while (bytes.hasRemaining()) {
                        ch.write(bytes);
                    }
                    ch.force(true);
                } catch (FileAlreadyExistsException e) {
                    return Result.LOCKED;
                }
            }
            for (Update u : ordered) {
                ObjectId now = current(u.name(), packed.get(u.name()));
                if (now == null || !now.equals(u.oldId())) {
                    return Result.CHANGED;
                }
            }
            CrashPoints.reached("refs: locked and checked, none moved");
            for (int i = 0; i < ordered.size(); i++) {
                Update u = ordered.get(i);
                log(u, who, message);
                Files.move(locks.get(i), common.resolve(u.name()), StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
                AtomicFiles.fsyncDirectory(common.resolve(u.name()).getParent());
                if (i + 1 < ordered.size()) {
                    CrashPoints.reached("refs: " + (i + 1) + " of " + ordered.size() + " moved");
                }
            }
            locks.clear();
            folders.clear();
            return Result.OK;
        } finally {
            for (Path lock : locks) {
                Files.deleteIfExists(lock);
            }
            folders.sort(Comparator.comparingInt(Path::getNameCount).reversed());
            for (Path f : folders) {
                try {
                    Files.deleteIfExists(f);
                } catch (java.nio.file.DirectoryNotEmptyException e) {
                    // another command's ref arrived in it meanwhile
                }
            }
        }
    }

    /** Whether the ref {@code name} lies in the folder {@code folder} (a ref name without its slash). */
    private static boolean inside(String name, String folder) {
        return name.length() > folder.length() && name.charAt(folder.length()) == '/' && name.startsWith(folder);
    }

    private static int rank(String name) {
        return name.startsWith(Constants.R_TAGS) ? 0 : name.startsWith("refs/mver/") ? 1 : 2;
    }

    /**
     * A loose ref at a folder on the way to {@code name}, or refs inside a folder at {@code name}. An empty folder
     * left behind by a deleted ref is removed, as git does.
     */
    private boolean looseConflict(String name) {
        for (int slash = name.indexOf('/', Constants.R_REFS.length()); slash > 0; slash = name.indexOf('/', slash + 1)) {
            if (Files.isRegularFile(common.resolve(name.substring(0, slash)), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        Path self = common.resolve(name);
        if (Files.isDirectory(self, LinkOption.NOFOLLOW_LINKS)) {
            return !removeEmptyFolders(self);
        }
        return false;
    }

    private static boolean removeEmptyFolders(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                if (!Files.isDirectory(e, LinkOption.NOFOLLOW_LINKS) || !removeEmptyFolders(e)) {
                    return false;
                }
            }
        } catch (IOException e) {
            return false;
        }
        try {
            Files.delete(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The ref's id as git reads it: the loose file, else its {@code packed-refs} line; zero when neither. */
    private ObjectId current(String name, String packedId) throws IOException {
        try {
            return RefNames.looseId(common.resolve(name)); // null: a symbolic or damaged ref, not ours to move
        } catch (NoSuchFileException e) {
            return packedId == null ? ObjectId.zeroId() : ObjectId.isId(packedId) ? ObjectId.fromString(packedId)
                    : null;
        }
    }

    /**
     * Appends the move to the ref's reflog where git would keep one ({@code core.logAllRefUpdates}, or a log that
     * exists already), and to HEAD's when HEAD points at the ref, as {@code git commit} does.
     */
    private void log(Update u, PersonIdent who, String message) throws IOException {
        String line = u.oldId().name() + " " + u.newId().name() + " " + who.toExternalString() + "\t"
                + message.replace('\n', ' ') + "\n";
        Path refLog = common.resolve("logs").resolve(u.name());
        if (logs(u.name()) || Files.isRegularFile(refLog)) {
            append(refLog, line);
        }
        Ref head = repo.exactRef(Constants.HEAD);
        if (head != null && head.isSymbolic() && head.getTarget().getName().equals(u.name())) {
            Path headLog = repo.getDirectory().toPath().resolve("logs").resolve(Constants.HEAD);
            if (logs(Constants.HEAD) || Files.isRegularFile(headLog)) {
                append(headLog, line);
            }
        }
    }

    private boolean logs(String name) {
        CoreConfig.LogRefUpdates mode = repo.getConfig().getEnum(ConfigConstants.CONFIG_CORE_SECTION, null,
                ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES,
                repo.isBare() ? CoreConfig.LogRefUpdates.FALSE : CoreConfig.LogRefUpdates.TRUE);
        return switch (mode) {
            case ALWAYS -> true;
            case FALSE -> false;
            case TRUE -> name.equals(Constants.HEAD) || name.startsWith(Constants.R_HEADS)
                    || name.startsWith(Constants.R_REMOTES) || name.startsWith(Constants.R_NOTES);
        };
    }

    private static void append(Path file, String line) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, line.getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
