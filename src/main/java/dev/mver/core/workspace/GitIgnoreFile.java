package dev.mver.core.workspace;

import dev.mver.core.store.AtomicFiles;
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

    /** Ensures {@code artifact} is ignored; returns the .gitignore's path when the file was changed, else null. */
    static RepoPath ignore(SafeTree tree, RepoPath artifact, boolean directory) {
        RepoPath parent = artifact.parent();
        RepoPath ignorePath = parent == null ? RepoPath.of(".gitignore") : parent.resolve(RepoPath.of(".gitignore"));
        String entry = "/" + escape(artifact.fileName()) + (directory ? "/" : "");
        Path file = tree.prepareWrite(ignorePath);
        try {
            String text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            for (String line : text.split("\n", -1)) {
                if (line.strip().equals(entry)) {
                    return null;
                }
            }
            String updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + entry + "\n";
            AtomicFiles.write(file, updated.getBytes(StandardCharsets.UTF_8));
            return ignorePath;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update " + ignorePath + ": " + e.getMessage(), e);
        }
    }

    private static String escape(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            if ("*?[]\\!#".indexOf(c) >= 0 || (c == ' ' && sb.length() == name.length() - 1)) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
