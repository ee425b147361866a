package dev.mver.core.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectIdRef;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * The names of the refs under a prefix, read straight from {@code packed-refs} and the loose ref folders: no ref
 * file is opened and no object id parsed, which is most of what listing 10,000 tags costs through JGit. Listing
 * the registry needs only names. Ref storage this does not know (reftable) goes through JGit.
 */
public final class RefNames {
    private RefNames() {
    }

    /** Every ref name that starts with {@code prefix} (which starts with {@code refs/} and ends with '/'). */
    public static List<String> list(Repository repo, String prefix) {
        Path common = repo.getCommonDirectory().toPath();
        if (Files.exists(common.resolve("reftable"))) {
            return throughJGit(repo, prefix);
        }
        Set<String> names = new LinkedHashSet<>();
        try {
            // Loose refs first, packed-refs second, as git does: a concurrent pack-refs writes packed-refs before
            // it deletes the loose files, so this order never misses a ref that exists throughout the listing.
            int slash = prefix.lastIndexOf('/');
            String folder = prefix.substring(0, slash + 1);
            String start = prefix.substring(slash + 1);
            walkLoose(common.resolve(folder), folder, start, countsSubfolderLinks(common), names);
            readPacked(common.resolve("packed-refs"), prefix, names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(names);
    }

    private static void readPacked(Path file, String prefix, Set<String> names) throws IOException {
        forEachPacked(file, (name, id, peeled) -> {
            if (name.startsWith(prefix)) {
                names.add(name);
            }
        });
    }

    /** One ref of {@code packed-refs}: its name, its object id and the id it peels to (null when not given), in hex. */
    interface PackedRef {
        void accept(String name, String id, String peeled);
    }

    /** Every ref in the {@code packed-refs} file {@code file} (none when it does not exist). */
    static void forEachPacked(Path file, PackedRef visitor) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        String name = null;
        String id = null;
        int pos = 0;
        while (pos < text.length()) {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                end = text.length();
            }
            int lineEnd = end > pos && text.charAt(end - 1) == '\r' ? end - 1 : end;
            // "<object id> <ref name>"; '#' starts the header and '^' the peeled id of the ref before.
            char first = text.charAt(pos);
            if (first == '^') {
                if (name != null) {
                    visitor.accept(name, id, text.substring(pos + 1, lineEnd));
                    name = null;
                }
            } else if (first != '#') {
                if (name != null) {
                    visitor.accept(name, id, null);
                }
                int space = text.indexOf(' ', pos);
                name = space > 0 && space < lineEnd ? text.substring(space + 1, lineEnd) : null;
                id = name == null ? null : text.substring(pos, space);
            }
            pos = end + 1;
        }
        if (name != null) {
            visitor.accept(name, id, null);
        }
    }

    /**
     * The refs under {@code prefix} (which ends with '/') with their ids, as JGit lists them, but each loose ref file
     * read straight and on every core: what {@code verify} reads of 20,000 tags, in about half JGit's time. Loose
     * refs that are not plain ids (symbolic, damaged) and stores this does not know go through JGit.
     */
    public static List<Ref> refs(Repository repo, String prefix) {
        Path common = repo.getCommonDirectory().toPath();
        if (Files.exists(common.resolve("reftable"))) {
            return throughJGitRefs(repo, prefix);
        }
        try {
            Set<String> names = new LinkedHashSet<>();
            walkLoose(common.resolve(prefix), prefix, "", countsSubfolderLinks(common), names);
            List<String> loose = new ArrayList<>(names);
            List<Ref> read = loose.parallelStream().map(n -> {
                try {
                    ObjectId id = looseId(common.resolve(n));
                    return id == null ? null : (Ref) new ObjectIdRef.Unpeeled(Ref.Storage.LOOSE, n, id);
                } catch (NoSuchFileException e) {
                    return (Ref) new ObjectIdRef.Unpeeled(Ref.Storage.NEW, n, null); // packed or deleted meanwhile
                } catch (IOException e) {
                    return null;
                }
            }).toList();
            if (read.contains(null)) {
                return throughJGitRefs(repo, prefix);
            }
            java.util.TreeMap<String, Ref> out = new java.util.TreeMap<>();
            read.stream().filter(r -> r.getObjectId() != null).forEach(r -> out.put(r.getName(), r));
            forEachPacked(common.resolve("packed-refs"), (name, id, peeled) -> {
                if (name.startsWith(prefix) && !out.containsKey(name) && ObjectId.isId(id)) {
                    out.put(name, peeled != null && ObjectId.isId(peeled)
                            ? new ObjectIdRef.PeeledTag(Ref.Storage.PACKED, name, ObjectId.fromString(id),
                            ObjectId.fromString(peeled))
                            : new ObjectIdRef.Unpeeled(Ref.Storage.PACKED, name, ObjectId.fromString(id)));
                }
            });
            return new ArrayList<>(out.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + ": " + e.getMessage(), e);
        }
    }

    /**
     * The id a loose ref file (or a detached HEAD) holds; null when it holds something else (a symbolic ref, damage).
     * A missing file is {@link NoSuchFileException}: the ref may be packed.
     */
    public static ObjectId looseId(Path file) throws IOException {
        String text = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).trim();
        return ObjectId.isId(text) ? ObjectId.fromString(text) : null;
    }

    private static List<Ref> throughJGitRefs(Repository repo, String prefix) {
        try {
            return repo.getRefDatabase().getRefsByPrefix(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** Loose refs in {@code dir} (the ref folder {@code name}) whose file name starts with {@code start}. */
    private static void walkLoose(Path dir, String name, String start, boolean trustLinks, Set<String> names)
            throws IOException {
        boolean leaf = trustLinks && hasNoSubfolders(dir);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String file = entry.getFileName().toString();
                if (!file.startsWith(start) || file.endsWith(".lock")) {
                    continue;
                }
                if (!leaf && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    walkLoose(entry, name + file + "/", "", trustLinks, names);
                } else {
                    names.add(name + file);
                }
            }
        } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
            // no loose refs there
        }
    }

    /**
     * A folder whose link count is 2 has no subfolders (its own "." and its entry in the parent), so its 10,000
     * tag files need no stat each, as find(1) reasons. Only trusted where {@link #countsSubfolderLinks} says so.
     */
    private static boolean hasNoSubfolders(Path dir) {
        try {
            return Integer.valueOf(2).equals(Files.getAttribute(dir, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Local file systems known to count a folder's links as 2 plus its subfolders. Others may report 1 (btrfs),
     * or a constant (some network and FUSE file systems), where the shortcut would take a folder for a ref.
     */
    private static final Set<String> PRECISE_LINK_COUNTS = Set.of("ext2", "ext3", "ext4", "xfs", "tmpfs");

    private static boolean countsSubfolderLinks(Path dir) {
        try {
            return PRECISE_LINK_COUNTS.contains(Files.getFileStore(dir).type());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static List<String> throughJGit(Repository repo, String prefix) {
        try {
            List<String> names = new ArrayList<>();
            for (Ref ref : repo.getRefDatabase().getRefsByPrefix(prefix)) {
                names.add(ref.getName());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + prefix + ": " + e.getMessage(), e);
        }
    }
}
