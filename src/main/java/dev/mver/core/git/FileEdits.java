package dev.mver.core.git;

import dev.mver.core.value.RepoPath;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes mver makes to files git tracks: files it owns whole (pointers, metadata records), and lines it needs
 * in files the user edits too ({@code .gitignore}, {@code .gitattributes}). An edit is applied over whatever a
 * place holds (the parent commit, the index, the work tree), so a registration commit and the index get mver's
 * lines on top of what they had and the user's unsaved edits stay in the work tree, unstaged.
 */
public final class FileEdits {
    /** One file's change: its new content, given what is there now (null: no such file). */
    public sealed interface Edit permits Whole, Lines {
        byte[] over(byte[] current);
    }

    /** A file mver writes whole. */
    public record Whole(byte[] content) implements Edit {
        @Override
        public byte[] over(byte[] current) {
            return content;
        }
    }

    /**
     * Lines that must be present and lines that must not: missing ones are appended in order, with the file's own
     * line ending (a file checked out with CRLF keeps CRLF); {@code removed} ones are taken out wherever they are.
     * A line matches when it equals the other but for surrounding blanks.
     */
    public record Lines(List<String> lines, List<String> removed) implements Edit {
        public Lines {
            lines = List.copyOf(lines);
            removed = List.copyOf(removed);
        }

        public Lines(List<String> lines) {
            this(lines, List.of());
        }

        @Override
        public byte[] over(byte[] current) {
            String text = current == null ? "" : new String(current, StandardCharsets.UTF_8);
            String eol = text.contains("\r\n") ? "\r\n" : "\n";
            List<String> gone = removed.stream().map(String::strip).toList();
            List<String> present = new ArrayList<>();
            StringBuilder sb = new StringBuilder();
            boolean dropped = false;
            String[] all = text.split("(?<=\n)", -1);
            for (String raw : all) {
                String line = raw.replaceAll("\r?\n$", "");
                if (!raw.isEmpty() && gone.contains(line.strip())) {
                    dropped = true;
                    continue;
                }
                sb.append(raw);
                present.add(line.strip());
            }
            int kept = sb.length();
            for (String line : lines) {
                if (!present.contains(line.strip())) {
                    if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                        sb.append(eol);
                    }
                    sb.append(line).append(eol);
                    present.add(line.strip());
                }
            }
            return !dropped && sb.length() == kept && current != null ? current
                    : sb.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Map<RepoPath, Edit> edits = new LinkedHashMap<>();

    /** {@code path} is written whole with {@code content}. */
    public FileEdits whole(RepoPath path, byte[] content) {
        edits.put(path, new Whole(content));
        return this;
    }

    /** {@code path} must hold {@code lines}, after the ones already asked of it. */
    public FileEdits ensureLines(RepoPath path, List<String> lines) {
        return lines(path, lines, List.of());
    }

    /** {@code path} must not hold {@code lines} (a tool's lines for files that are mver's now). */
    public FileEdits removeLines(RepoPath path, List<String> lines) {
        return lines(path, List.of(), lines);
    }

    private FileEdits lines(RepoPath path, List<String> ensured, List<String> removed) {
        Edit before = edits.get(path);
        List<String> all = new ArrayList<>(before instanceof Lines l ? l.lines() : List.of());
        List<String> gone = new ArrayList<>(before instanceof Lines l ? l.removed() : List.of());
        all.addAll(ensured);
        gone.addAll(removed);
        edits.put(path, new Lines(all, gone));
        return this;
    }

    public FileEdits addAll(FileEdits other) {
        other.edits.forEach((path, edit) -> {
            if (edit instanceof Lines l) {
                lines(path, l.lines(), l.removed());
            } else {
                edits.put(path, edit);
            }
        });
        return this;
    }

    public Map<RepoPath, Edit> all() {
        return Collections.unmodifiableMap(edits);
    }

    public boolean isEmpty() {
        return edits.isEmpty();
    }
}
