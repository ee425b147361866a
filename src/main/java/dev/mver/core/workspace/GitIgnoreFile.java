package dev.mver.core.workspace;

import dev.mver.core.store.RepoPath;
import dev.mver.core.store.SafeTree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Adds anchored entries for artifacts to the {@code .gitignore} in the artifact's own folder, as DVC does. */
final class GitIgnoreFile {
    private GitIgnoreFile() {
    }

    static RepoPath pathFor(RepoPath artifact) {
        RepoPath parent = artifact.parent();
        return parent == null ? RepoPath.of(".gitignore") : parent.resolve(RepoPath.of(".gitignore"));
    }

    /** The content the artifact's .gitignore must have so that the artifact is ignored (the current one if it is). */
    static byte[] contentIgnoring(SafeTree tree, RepoPath artifact, boolean directory) {
        String entry = "/" + escape(artifact.fileName()) + (directory ? "/" : "");
        Path file = tree.resolve(pathFor(artifact));
        try {
            String text = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            for (String line : text.split("\n", -1)) {
                if (line.strip().equals(entry)) {
                    return text.getBytes(StandardCharsets.UTF_8);
                }
            }
            return (text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + entry + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pathFor(artifact) + ": " + e.getMessage(), e);
        }
    }

    /** {@code content} with the entry for {@code artifact} added, if it lacks it. */
    static byte[] appendEntry(byte[] content, RepoPath artifact, boolean directory) {
        String entry = "/" + escape(artifact.fileName()) + (directory ? "/" : "");
        String text = new String(content, StandardCharsets.UTF_8);
        for (String line : text.split("\n", -1)) {
            if (line.strip().equals(entry)) {
                return content;
            }
        }
        return (text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + entry + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            // A trailing space is dropped by git unless escaped; '!' and '#' only matter first, escaping is harmless.
            if ("*?[]\\!#".indexOf(c) >= 0 || (c == ' ' && i == name.length() - 1)) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
