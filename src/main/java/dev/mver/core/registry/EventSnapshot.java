package dev.mver.core.registry;

import dev.mver.core.io.CacheFile;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.Origin;
import dev.mver.core.value.StageName;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * A model's events as last read, in their order: a command that asks for 22,000 events then reads one file instead
 * of listing 22,000 refs and looking each up in the {@link EventCache}. Two keys say whether it still holds:
 * <ul>
 * <li>a {@link Stamp} of the ref store (the tag folders that hold the model's tags and {@code packed-refs}: their
 * file ids, sizes and change times). Git and JGit change a ref by writing a lock file and renaming it, and pack refs
 * by replacing {@code packed-refs}, so every ref change moves a stamped time; nothing is read per ref.</li>
 * <li>a record of the model's tag files ({@link RefFiles}), checked when the stamp differs or was taken so soon
 * after a change that a second change could have left the same times (as git treats a "racy" index entry), as it
 * is after mver's own writes: one stat per tag file, and a read of those recorded too soon to vouch for.</li>
 * <li>a {@link #digest} of the model's refs (names and ids), checked when the files changed: the refs are listed
 * and, when the digest is the same, the events are still the stored ones. The tag objects are never read again:
 * they cannot change under their id.</li>
 * </ul>
 * A missing, damaged (checksum) or foreign file is simply read from git again. One file per model in
 * {@code mver/snapshots/} of git's common folder.
 */
final class EventSnapshot {
    private static final String HEADER = "mver-event-snapshot v4";
    private static final long MAX_BYTES = 256L << 20;
    /**
     * What the ref store looked like; {@code settled} when every time in it was old enough that a later change
     * must move one.
     */
    record Stamp(String text, boolean settled) {
    }

    /** A snapshot as stored: the events and the keys they were read under. */
    record Stored(Stamp stamp, long digest, RefFiles.Recorded files, List<EventLog.Event> events) {
    }

    private final Path dir;
    private final Path commonDir;

    private EventSnapshot(Path dir, Path commonDir) {
        this.dir = dir;
        this.commonDir = commonDir;
    }

    /** The snapshots of {@code repo}; null where none are kept (see {@link EventCache#folder}). */
    static EventSnapshot of(Repository repo) {
        Path shared = EventCache.folder(repo);
        if (shared == null || Files.exists(repo.getCommonDirectory().toPath().resolve("reftable"))) {
            return null; // a reftable store changes no folder times: its refs are read each time
        }
        return new EventSnapshot(shared.resolve("snapshots"), repo.getCommonDirectory().toPath());
    }

    /**
     * The times of the folders a model's tags live in ({@code refs/tags} and, for {@code a/b}, {@code refs/tags/a})
     * and of {@code packed-refs}. An unreadable one matches nothing and is never settled.
     */
    Stamp stamp(ModelName model) {
        long now = System.currentTimeMillis();
        StringBuilder sb = new StringBuilder();
        boolean settled = true;
        List<Path> stamped = new ArrayList<>();
        stamped.add(commonDir.resolve("packed-refs"));
        Path folder = commonDir.resolve("refs").resolve("tags");
        stamped.add(folder);
        String[] parts = model.value().split("/");
        for (int i = 0; i < parts.length - 1 && Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS); i++) {
            folder = folder.resolve(parts[i]);
            stamped.add(folder);
        }
        for (Path p : stamped) {
            RefFiles.FileStat s = RefFiles.statWithChange(p);
            if (s == null) {
                sb.append('?').append(System.nanoTime()).append(';');
                settled = false;
            } else {
                sb.append(s.key()).append(';');
                settled &= s.settled(now);
            }
        }
        return new Stamp(sb.toString(), settled);
    }

    /** The models' tag files as they are now (see {@link RefFiles}); taken before any of their refs is read. */
    Map<ModelName, RefFiles.Scan> scan(java.util.Collection<ModelName> models) {
        return RefFiles.scan(commonDir, models);
    }

    /** Whether the model's tag files are as {@code files} recorded them. */
    boolean unchanged(RefFiles.Recorded files, RefFiles.Scan scan) {
        return RefFiles.unchanged(files, scan, name -> RefFiles.readLoose(commonDir, name));
    }

    /** {@code files} with the loose tag {@code refName}, just written with {@code id}, added as racy. */
    RefFiles.Recorded plus(RefFiles.Recorded files, String refName, ObjectId id) {
        RefFiles.FileStat s = files == null ? null : RefFiles.stat(commonDir.resolve(refName));
        if (s == null || s.key().equals("-") || s.key().startsWith("d")) {
            return null;
        }
        List<RefFiles.Racy> racy = new ArrayList<>(files.racy());
        racy.removeIf(r -> r.name().equals(refName));
        racy.add(new RefFiles.Racy(refName, s.key(), id));
        return new RefFiles.Recorded(files.packed(), files.settled(), racy);
    }

    /**
     * The model's refs, names and ids, as one number that no order of listing changes and that one more ref
     * updates ({@link #plus}): a writer knows the digest after its own write without listing again.
     */
    static long digest(List<Ref> refs) {
        long sum = 0;
        for (Ref r : refs) {
            sum = plus(sum, r.getName(), r.getObjectId());
        }
        return sum;
    }

    static long plus(long digest, String refName, ObjectId id) {
        long h = hash(FNV_OFFSET, refName);
        if (id != null) {
            byte[] raw = new byte[Constants.OBJECT_ID_LENGTH];
            id.copyRawTo(raw, 0);
            for (byte b : raw) {
                h = (h ^ (b & 0xff)) * FNV_PRIME;
            }
        }
        return digest + finish(h);
    }

    /** {@code digest} with one more pair of texts, order-free as {@link #plus}. */
    static long mix(long digest, String a, String b) {
        return digest + finish(hash(hash(FNV_OFFSET, a) * FNV_PRIME, b));
    }

    // FNV-1a over the texts and bytes, mixed by SplitMix64's finaliser so that sums of them do not cancel.
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private static long hash(long h, String text) {
        for (int i = 0; i < text.length(); i++) {
            h = (h ^ text.charAt(i)) * FNV_PRIME;
        }
        return h;
    }

    private static long finish(long x) {
        x = (x ^ (x >>> 30)) * 0xbf58476d1ce4e5b9L;
        x = (x ^ (x >>> 27)) * 0x94d049bb133111ebL;
        return x ^ (x >>> 31);
    }

    /** The stored snapshot of {@code model}; null when there is none that reads back whole. */
    Stored load(ModelName model) {
        String body = CacheFile.readWhole(file(model), HEADER, MAX_BYTES);
        if (body == null) {
            return null;
        }
        try {
            // Line by line, each dropped once parsed: 20,000 events are not held twice over as text.
            Lines lines = new Lines(body);
            if (!lines.next().equals(model.value())) {
                return null; // another model's file on a case-insensitive file system
            }
            Stamp stamp = new Stamp(lines.next(), lines.next().equals("1"));
            long digest = Long.parseUnsignedLong(lines.next(), 16);
            RefFiles.Recorded files = null;
            String filesLine = lines.next();
            if (!filesLine.equals("-")) {
                Fields f = new Fields(filesLine);
                String packed = f.next();
                long settled = Long.parseUnsignedLong(f.next(), 16);
                int count = Integer.parseInt(f.next());
                f.end();
                List<RefFiles.Racy> racy = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    Fields r = new Fields(lines.next());
                    racy.add(new RefFiles.Racy(r.next(), r.next(), ObjectId.fromString(r.next())));
                    r.end();
                }
                files = new RefFiles.Recorded(packed, settled, racy);
            }
            List<EventLog.Event> events = new ArrayList<>();
            while (lines.more()) {
                events.add(event(model, lines.next()));
            }
            return new Stored(stamp, digest, files, Collections.unmodifiableList(events));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Stores the model's events; a failure only costs the next command the time this one spent. */
    void save(ModelName model, Stored s) {
        StringBuilder sb = new StringBuilder();
        sb.append(model.value()).append('\n').append(s.stamp().text()).append('\n')
                .append(s.stamp().settled() ? '1' : '0').append('\n')
                .append(Long.toHexString(s.digest())).append('\n');
        RefFiles.Recorded files = s.files();
        if (files == null) {
            sb.append("-\n");
        } else {
            sb.append(files.packed()).append('\t').append(Long.toHexString(files.settled())).append('\t')
                    .append(files.racy().size()).append('\n');
            for (RefFiles.Racy r : files.racy()) {
                sb.append(r.name()).append('\t').append(r.stat()).append('\t').append(r.id().name()).append('\n');
            }
        }
        for (EventLog.Event e : s.events()) {
            line(sb, e);
        }
        CacheFile.writeWhole(file(model), HEADER, sb.toString());
    }

    private Path file(ModelName model) {
        return dir.resolve(model.value().replace("%", "%25").replace("/", "%2F"));
    }

    /**
     * One event per line, tab-separated fields, each absent ("") or '=' and its escaped text (see
     * {@link EventCache#field}): number, event, version, stage, tag, by, time (epoch seconds and ISO text, both
     * kept: formatting 22,000 dates was a third of reading them), reason, origin, commit, tag object.
     */
    private static void line(StringBuilder sb, EventLog.Event e) {
        sb.append(e.number() == null ? "" : e.number().toString()).append('\t').append(e.event().id());
        EventCache.field(sb, e.version());
        EventCache.field(sb, e.stage() == null ? null : e.stage().value());
        EventCache.field(sb, e.tag());
        EventCache.field(sb, e.by());
        EventCache.field(sb, e.time() == null ? null : e.time().getEpochSecond() + " " + e.at());
        EventCache.field(sb, e.reason());
        sb.append('\t').append(e.origin().id());
        EventCache.field(sb, e.commit() == null ? null : e.commit().name());
        EventCache.field(sb, e.tagObject() == null ? null : e.tagObject().name());
        sb.append('\n');
    }

    private static Origin origin(String id) {
        for (Origin o : Origin.values()) {
            if (o.id().equals(id)) {
                return o;
            }
        }
        throw new IllegalArgumentException("bad origin");
    }

    private static EventLog.Event event(ModelName model, String line) {
        Fields f = new Fields(line);
        String number = f.next();
        EventType type = java.util.Objects.requireNonNull(EventType.fromWord(f.next()));
        String version = f.value();
        String stage = f.value();
        String tag = f.value();
        String by = f.value();
        String time = f.value();
        String reason = f.value();
        Origin origin = origin(f.next());
        String commit = f.value();
        String tagObject = f.value();
        f.end();
        int space = time == null ? -1 : time.indexOf(' ');
        return new EventLog.Event(number.isEmpty() ? null : Long.valueOf(number), type, model, version,
                stage == null ? null : new StageName(stage), tag, by, time == null ? null : time.substring(space + 1),
                reason, origin, time == null ? null : Instant.ofEpochSecond(Long.parseLong(time.substring(0, space))),
                commit == null ? null : ObjectId.fromString(commit),
                tagObject == null ? null : ObjectId.fromString(tagObject));
    }

    /** A text's lines in turn, each ending in a newline. */
    private static final class Lines {
        private final String text;
        private int pos;

        Lines(String text) {
            this.text = text;
        }

        boolean more() {
            return pos < text.length();
        }

        String next() {
            int end = text.indexOf('\n', pos);
            if (end < 0) {
                throw new IllegalArgumentException("cut short");
            }
            String line = text.substring(pos, end);
            pos = end + 1;
            return line;
        }
    }

    /** A line's tab-separated fields in turn, without splitting it into an array first. */
    private static final class Fields {
        private final String line;
        private int pos;

        Fields(String line) {
            this.line = line;
        }

        String next() {
            if (pos > line.length()) {
                throw new IllegalArgumentException("too few fields");
            }
            int tab = line.indexOf('\t', pos);
            int end = tab < 0 ? line.length() : tab;
            String field = line.substring(pos, end);
            pos = end + 1;
            return field;
        }

        String value() {
            return EventCache.value(next());
        }

        void end() {
            if (pos <= line.length()) {
                throw new IllegalArgumentException("too many fields");
            }
        }
    }
}
