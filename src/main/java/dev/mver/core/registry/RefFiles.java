package dev.mver.core.registry;

import dev.mver.core.value.ModelName;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;

/**
 * A model's tags as files: the loose ref files named for it and {@code packed-refs}, by their file ids, sizes and
 * times, as git's index knows a work tree. Telling that none changed costs one stat per tag instead of reading
 * every tag file: after mver's own write, when the folders' times have moved, the next command checks 20,000 tags
 * this way in a fraction of what reading them takes. A file whose times were too recent when it was recorded (a
 * second change could keep them) is "racy" and has its id recorded and read again, as git re-reads racy entries.
 */
final class RefFiles {
    /**
     * How old a time must be before a later change is sure to move it: longer than the file system's time step
     * (a clock tick where times have a fraction of a second; up to 2 s where they are whole seconds).
     */
    static final long RACY_MILLIS_FINE = 100;
    static final long RACY_MILLIS_COARSE = 3_000;

    /** A file's identity and time: any replacement or write changes {@code key}. */
    record FileStat(String key, FileTime modified) {
        /** Whether a later change must move the time, seen at {@code nowMillis}. */
        boolean settled(long nowMillis) {
            return modified.toMillis() < nowMillis - (fine(modified) ? RACY_MILLIS_FINE : RACY_MILLIS_COARSE);
        }

        private static boolean fine(FileTime t) {
            return t.to(TimeUnit.NANOSECONDS) % 1_000_000_000L != 0;
        }
    }

    /** A loose ref file recorded too soon after it changed: its id is checked by reading it. */
    record Racy(String name, String stat, ObjectId id) {
    }

    /**
     * What the files looked like: {@code packed}, the stat of {@code packed-refs}; {@code settled}, an order-free
     * digest of the names and stats of every settled loose file; {@code racy}, the others.
     */
    record Recorded(String packed, long settled, List<Racy> racy) {
    }

    /** The files as scanned: {@code packed-refs}' stat and each loose file's, by ref name. */
    record Scan(FileStat packed, Map<String, FileStat> loose, long startMillis) {
    }

    private RefFiles() {
    }

    /**
     * For each of {@code models}, the stats of {@code packed-refs} and of the loose tag files that may be its own
     * (names starting {@code NAME@} or {@code NAME#}), one listing per tag folder for them all; null for a model
     * whose tags cannot be told this way (a folder where a tag file would be, an unreadable folder or file).
     */
    static Map<ModelName, Scan> scan(Path commonDir, java.util.Collection<ModelName> models) {
        long start = System.currentTimeMillis();
        FileStat packed = statWithChange(commonDir.resolve(Constants.PACKED_REFS));
        Map<String, Map<String, ModelName>> byFolder = new HashMap<>(); // tag folder -> last name part -> model
        Map<ModelName, Map<String, FileStat>> loose = new HashMap<>();
        for (ModelName m : models) {
            String value = m.value();
            int slash = value.lastIndexOf('/');
            byFolder.computeIfAbsent(Constants.R_TAGS + value.substring(0, slash + 1), k -> new HashMap<>())
                    .put(value.substring(slash + 1), m);
            loose.put(m, new HashMap<>());
        }
        for (Map.Entry<String, Map<String, ModelName>> folder : byFolder.entrySet()) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(commonDir.resolve(folder.getKey()))) {
                for (Path entry : entries) {
                    String file = entry.getFileName().toString();
                    int end = 0;
                    while (end < file.length() && file.charAt(end) != '@' && file.charAt(end) != '#') {
                        end++;
                    }
                    ModelName m = end == file.length() || file.endsWith(".lock") ? null
                            : folder.getValue().get(file.substring(0, end));
                    Map<String, FileStat> files = m == null ? null : loose.get(m);
                    if (files == null) {
                        continue;
                    }
                    FileStat s = stat(entry);
                    if (s == null || s.key().startsWith("d")) {
                        loose.put(m, null);
                    } else {
                        files.put(folder.getKey() + file, s);
                    }
                }
            } catch (NoSuchFileException | java.nio.file.NotDirectoryException e) {
                // no loose tags there
            } catch (IOException e) {
                folder.getValue().values().forEach(m -> loose.put(m, null));
            }
        }
        Map<ModelName, Scan> out = new HashMap<>();
        loose.forEach((m, files) -> out.put(m, files == null ? null : new Scan(packed, files, start)));
        return out;
    }

    /**
     * Whether the files are as {@code r} recorded them: {@code packed-refs} the same file, every settled loose file
     * the same, no loose file more or fewer, and every racy one holding its recorded id ({@code read} reads a
     * loose ref file's id; null when it cannot).
     */
    static boolean unchanged(Recorded r, Scan now, Function<String, ObjectId> read) {
        if (r == null || now == null || r.packed() == null || now.packed() == null
                || !r.packed().equals(now.packed().key())) {
            return false;
        }
        Map<String, Racy> racy = new HashMap<>();
        r.racy().forEach(x -> racy.put(x.name(), x));
        long digest = 0;
        int racySeen = 0;
        for (Map.Entry<String, FileStat> f : now.loose().entrySet()) {
            Racy x = racy.get(f.getKey());
            if (x == null) {
                digest = EventSnapshot.mix(digest, f.getKey(), f.getValue().key());
            } else if (!x.stat().equals(f.getValue().key()) || !x.id().equals(read.apply(f.getKey()))) {
                return false;
            } else {
                racySeen++;
            }
        }
        return racySeen == racy.size() && digest == r.settled();
    }

    /**
     * The record of {@code scan}, with the ids of the racy files from {@code ids} (the refs as listed after the
     * scan, or as a writer wrote them); null when {@code packed-refs} was too recent to vouch for, or a racy
     * file's id is not known.
     */
    static Recorded record(Scan scan, Function<String, ObjectId> ids) {
        if (scan == null || scan.packed() == null || !scan.packed().settled(scan.startMillis())) {
            return null;
        }
        long digest = 0;
        List<Racy> racy = new ArrayList<>();
        for (Map.Entry<String, FileStat> f : scan.loose().entrySet()) {
            if (f.getValue().settled(scan.startMillis())) {
                digest = EventSnapshot.mix(digest, f.getKey(), f.getValue().key());
            } else {
                ObjectId id = ids.apply(f.getKey());
                if (id == null) {
                    return null;
                }
                racy.add(new Racy(f.getKey(), f.getValue().key(), id));
            }
        }
        return new Recorded(scan.packed().key(), digest, racy);
    }

    /** The id a loose ref file holds; null when it holds none (a symbolic ref, damage) or cannot be read. */
    static ObjectId readLoose(Path commonDir, String refName) {
        try {
            return dev.mver.core.git.RefNames.looseId(commonDir.resolve(refName));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The stat of {@code p} without following a link: "-" when it does not exist; "d..." for a folder; null when
     * it cannot be read. The key has the file's device and id, its size and modification time in nanoseconds (the
     * change time would cost twice as much to read for 20,000 tags: only a hand that restores a modification time
     * after writing a ref file in place, which neither git nor JGit does, goes unseen without it).
     */
    static FileStat stat(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            FileTime m = a.lastModifiedTime();
            String key = (a.isDirectory() ? "d" : "") + a.fileKey() + ":" + a.size() + ":" + m.to(TimeUnit.NANOSECONDS);
            return new FileStat(key, m);
        } catch (NoSuchFileException e) {
            return new FileStat("-", FileTime.fromMillis(0));
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@link #stat} with the change time too, which no one can set: for the few folders and files whose stamp
     * alone vouches for everything in them.
     */
    static FileStat statWithChange(Path p) {
        FileStat s = stat(p);
        if (s == null || s.key().equals("-")) {
            return s;
        }
        try {
            FileTime c = (FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
            FileTime later = c.compareTo(s.modified()) > 0 ? c : s.modified();
            return new FileStat(s.key() + ":" + c.to(TimeUnit.NANOSECONDS), later);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return s;
        } catch (IOException e) {
            return null;
        }
    }
}
