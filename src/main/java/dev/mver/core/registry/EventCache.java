package dev.mver.core.registry;

import dev.mver.core.git.GitDirs;
import dev.mver.core.io.CacheFile;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;

/**
 * What each registry tag says, remembered by tag object id and ref name: a tag object never changes, so an entry
 * can never go stale, and the refs themselves (read on every call) decide which entries count. Reading the events
 * of a model with 10,000 versions then costs one ref listing and this file instead of 10,000 tag objects and JSON
 * payloads. Plain lines in {@code mver/events} in git's common folder, each with a checksum; a missing, foreign or damaged file
 * or line is simply read from git again. {@code mver verify} trusts an entry only as far as it marked it verified
 * itself, and {@code verify --all} not at all.
 */
final class EventCache {
    /**
     * The part of an event that comes from its tag object (and the name it was read under). {@code previous}: a
     * registration's link, {@code VERSION TAG_OBJECT}. {@code verified}: the tag passed every check of
     * {@link TagVerifier} that depends on its objects alone (this header's version names those checks).
     */
    record Facts(boolean annotated, ObjectId commit, String by, Instant time, Long number, String version,
                 String event, String reason, List<ArtifactRef> artifacts, String previous, boolean verified,
                 String record) {
        static final Facts LIGHTWEIGHT = new Facts(false, null, null, null, null, null, null, null, null, null, false,
                null);

        Facts asVerified() {
            return new Facts(annotated, commit, by, time, number, version, event, reason, artifacts, previous, true,
                    record);
        }

        /** With what a registration's record says for audit ({@link EventLog#recordSummary}), once read. */
        Facts withRecord(String summary) {
            return new Facts(annotated, commit, by, time, number, version, event, reason, artifacts, previous,
                    verified, summary);
        }
    }

    private static final String HEADER = "mver-event-cache v7";
    private static final long MAX_BYTES = 256L << 20;
    static final EventCache NONE = new EventCache(null, new HashMap<>(), 0);

    /**
     * A tag object under a ref name: compared as they are, with no hex text made per lookup (20,000 of them per
     * command). Written out rather than a record's generated methods, which set up method handles on first use.
     */
    private static final class Key {
        final ObjectId id;
        final String ref;

        Key(ObjectId id, String ref) {
            this.id = id.copy();
            this.ref = ref;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && id.equals(k.id) && ref.equals(k.ref);
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + ref.hashCode();
        }
    }

    private final Path file;
    private final Map<Key, Facts> entries;
    /** Lines the file held when loaded, superseded ones included (a later line for a key replaces an earlier). */
    private final int lines;
    /** Entries learnt or changed since loading, in order: appended to the file, which need not be rewritten. */
    private final java.util.Set<Key> learnt = new java.util.LinkedHashSet<>();

    private EventCache(Path file, Map<Key, Facts> entries, int lines) {
        this.file = file;
        this.entries = entries;
        this.lines = lines;
    }

    /**
     * The cache of {@code repo}, shared by its linked work trees as their tags are; none for a bare repository or
     * one whose work tree is not set up for mver.
     */
    static EventCache load(org.eclipse.jgit.lib.Repository repo) {
        Path dir = folder(repo);
        if (dir == null) {
            return NONE;
        }
        Path file = dir.resolve("events");
        Map<Key, Facts> entries = new HashMap<>();
        int[] lines = {0};
        if (!CacheFile.forEachLine(file, HEADER, MAX_BYTES, line -> {
            lines[0]++;
            parse(line, entries);
        })) {
            entries.clear();
        }
        return new EventCache(file, entries, lines[0]);
    }

    /**
     * Where the registry's caches live: mver's shared folder in git's directory; null for a bare repository, one
     * whose work tree is not set up for mver, or a folder that is a link.
     */
    static Path folder(org.eclipse.jgit.lib.Repository repo) {
        if (repo.isBare() || !Files.isDirectory(repo.getWorkTree().toPath().resolve(".mver"))) {
            return null;
        }
        Path dir = GitDirs.shared(repo);
        return Files.isSymbolicLink(dir) ? null : dir; // never written through a link; the workspace says why
    }

    synchronized Facts get(ObjectId tagObject, String refName) {
        return entries.get(key(tagObject, refName));
    }

    synchronized void put(ObjectId tagObject, String refName, Facts facts) {
        Key key = key(tagObject, refName);
        if (file != null && !facts.equals(entries.put(key, facts))) {
            learnt.add(key);
        }
    }

    /**
     * Writes what this cache learnt: appended as lines to the file as loaded (a command that learns one tag does not
     * rewrite 20,000 lines), or the whole file rewritten when it held nothing usable or mostly superseded lines. A
     * failure only costs the next command the time this one spent.
     */
    synchronized void save() {
        if (learnt.isEmpty() || file == null) {
            return;
        }
        boolean whole = entries.size() == learnt.size() || lines + learnt.size() > 2 * entries.size() + 1_000;
        StringBuilder sb = new StringBuilder();
        for (Key key : whole ? entries.keySet() : learnt) {
            line(sb, key, entries.get(key));
        }
        if (whole ? CacheFile.write(file, HEADER, sb) : CacheFile.append(file, HEADER, sb)) {
            learnt.clear();
        }
    }

    /** One entry as a line: its fields and, last, the CRC-32C of the rest. */
    private static void line(StringBuilder sb, Key key, Facts f) {
        int start = sb.length();
        sb.append(key.id.name()).append(' ').append(escape(key.ref)).append('\t').append(f.annotated() ? '1' : '0');
        field(sb, f.commit() == null ? null : f.commit().name());
        field(sb, f.by());
        field(sb, f.time() == null ? null : Long.toString(f.time().getEpochSecond())); // git's precision
        field(sb, f.number() == null ? null : f.number().toString());
        field(sb, f.version());
        field(sb, f.event());
        field(sb, f.reason());
        field(sb, f.artifacts() == null ? null : artifactLines(f.artifacts()));
        field(sb, f.previous());
        sb.append('\t').append(f.verified() ? '1' : '0');
        field(sb, f.record());
        String crc = crc(sb.substring(start));
        sb.append('\t').append(crc).append('\n');
    }

    private static Key key(ObjectId tagObject, String refName) {
        return new Key(tagObject, refName);
    }

    /** A field is absent ("") or '=' and its text, with backslash, tab, newline and carriage return escaped. */
    static void field(StringBuilder sb, String value) {
        sb.append('\t');
        if (value != null) {
            sb.append('=').append(escape(value));
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char n = s.charAt(++i); // a trailing backslash throws: the line is skipped
            sb.append(switch (n) {
                case '\\' -> '\\';
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> throw new IllegalArgumentException("bad escape");
            });
        }
        return sb.toString();
    }

    private static void parse(String line, Map<Key, Facts> entries) {
        int lastTab = line.lastIndexOf('\t');
        if (lastTab < 0 || !line.substring(lastTab + 1).equals(crc(line.substring(0, lastTab)))) {
            return; // a flipped bit or a hand edit: that tag is read from git again
        }
        String[] f = line.substring(0, lastTab).split("\t", -1);
        if (f.length != 13 || !(f[1].equals("0") || f[1].equals("1"))) {
            return;
        }
        try {
            int space = f[0].indexOf(' ');
            Key key = new Key(ObjectId.fromString(f[0].substring(0, space)), unescape(f[0].substring(space + 1)));
            String commit = value(f[2]);
            String time = value(f[4]);
            String number = value(f[5]);
            String artifacts = value(f[9]);
            Facts facts = f[1].equals("0") ? Facts.LIGHTWEIGHT : new Facts(true,
                    ObjectId.fromString(commit), value(f[3]),
                    time == null ? null : Instant.ofEpochSecond(Long.parseLong(time)),
                    number == null ? null : Long.valueOf(number), value(f[6]), value(f[7]), value(f[8]),
                    artifacts == null ? null : new LazyArtifacts(artifacts), value(f[10]), f[11].equals("1"),
                    value(f[12]));
            entries.put(key, facts);
        } catch (RuntimeException e) {
            // a damaged line: that tag is read from git again
        }
    }

    /**
     * A registration's {@link EventLog.RecordSummary} as one field: {@code -} when the version has no mver record,
     * else its dataset, feature set and parent version, each absent ("") or '=' and its escaped text, and its
     * metrics as compact JSON, on four lines.
     */
    static String encodeRecord(EventLog.RecordSummary summary) {
        if (summary == null) {
            return "-";
        }
        StringBuilder sb = new StringBuilder();
        for (String part : new String[] {summary.datasetSnapshotId(), summary.featureSetVersion(),
                summary.parentVersion()}) {
            sb.append(part == null ? "" : "=" + escape(part)).append('\n');
        }
        try {
            return sb.append(escape(dev.mver.core.value.Json.mapper().writeValueAsString(summary.metrics())))
                    .toString();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree read from JSON writes back
        }
    }

    /**
     * The summary {@link #encodeRecord} wrote; null for a version without a record, and for an entry written
     * before metrics were kept (three lines), whose record is then read again.
     */
    static EventLog.RecordSummary decodeRecord(String field) {
        String[] parts = field.split("\n", -1);
        if (field.equals("-") || parts.length != 4) {
            return null;
        }
        for (int i = 0; i < 3; i++) {
            parts[i] = parts[i].isEmpty() ? null : unescape(parts[i].substring(1));
        }
        try {
            Map<String, com.fasterxml.jackson.databind.JsonNode> metrics = new java.util.TreeMap<>();
            dev.mver.core.value.Json.mapper().readTree(unescape(parts[3])).fields()
                    .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue()));
            return new EventLog.RecordSummary(parts[0], parts[1], parts[2], metrics);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null; // read again from the record
        }
    }

    /** Every line ends with the CRC-32C of the rest, so a damaged entry is never taken for a tag's word. */
    private static String crc(String line) {
        return CacheFile.crc(line);
    }

    /**
     * A version's artifacts as the cache file has them, parsed on first use: most commands read every event and
     * look at no artifact, and parsing them all was a third of loading the cache. The line's checksum, checked at
     * load, vouches for the text.
     */
    /**
     * Each artifact's kind and hash as a key ({@code f} or {@code d} and the hex), read from the cached text where
     * the list was not parsed yet: indexing 20,000 versions by content then parses no path and no hash.
     */
    static List<String> contentKeys(List<ArtifactRef> artifacts) {
        if (artifacts instanceof LazyArtifacts lazy && lazy.parsed == null) {
            List<String> keys = new ArrayList<>();
            String text = lazy.lines;
            int pos = 0;
            while (pos < text.length()) {
                int end = text.indexOf('\n', pos);
                end = end < 0 ? text.length() : end;
                int type = text.indexOf(' ', pos);
                int hash = type < 0 ? -1 : text.indexOf(' ', type + 1);
                if (hash > type && hash < end) {
                    keys.add((text.startsWith("dir", pos) && type == pos + 3 ? "d" : "f") + text.substring(type + 1, hash));
                }
                pos = end + 1;
            }
            return keys;
        }
        return artifacts.stream().map(EventCache::contentKey).toList();
    }

    static String contentKey(ArtifactRef a) {
        return (a.type() == ArtifactType.DIR ? "d" : "f") + a.sha256().hex();
    }

    private static final class LazyArtifacts extends java.util.AbstractList<ArtifactRef> {
        private final String lines;
        private List<ArtifactRef> parsed;

        LazyArtifacts(String lines) {
            this.lines = lines;
        }

        private List<ArtifactRef> parsed() {
            if (parsed == null) {
                parsed = parseArtifacts(lines);
            }
            return parsed;
        }

        @Override
        public ArtifactRef get(int index) {
            return parsed().get(index);
        }

        @Override
        public int size() {
            return parsed().size();
        }
    }

    /** One line per artifact, {@code type sha256 size path}, the path last because it may hold spaces. */
    private static String artifactLines(List<ArtifactRef> artifacts) {
        if (artifacts instanceof LazyArtifacts lazy && lazy.parsed == null) {
            return lazy.lines; // unread since loaded: written back as it was
        }
        StringBuilder sb = new StringBuilder();
        for (ArtifactRef a : artifacts) {
            sb.append(a.type().id()).append(' ').append(a.sha256().hex()).append(' ').append(a.size()).append(' ')
                    .append(a.path().value()).append('\n');
        }
        return sb.toString();
    }

    private static List<ArtifactRef> parseArtifacts(String lines) {
        List<ArtifactRef> out = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (!line.isEmpty()) {
                String[] p = line.split(" ", 4);
                out.add(new ArtifactRef(RepoPath.of(p[3]), ArtifactType.of(p[0]), Sha256.ofHex(p[1]),
                        Long.parseLong(p[2])));
            }
        }
        return List.copyOf(out);
    }

    static String value(String field) {
        if (field.isEmpty()) {
            return null;
        }
        if (field.charAt(0) != '=') {
            throw new IllegalArgumentException("bad field");
        }
        return unescape(field.substring(1));
    }
}
