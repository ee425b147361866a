package dev.mver.core.workspace;

import dev.mver.core.value.RepoPath;
import java.util.List;

/**
 * The lines mver needs in files git reads: an anchored entry for each artifact in the {@code .gitignore} of the
 * artifact's own folder (as DVC does), and {@code -text} for pointers and records in the top {@code .gitattributes},
 * so git never converts their line endings (Git for Windows' {@code core.autocrlf=true}, {@code * text eol=crlf}).
 */
public final class GitFileLines {
    public static final RepoPath ATTRIBUTES = RepoPath.of(".gitattributes");
    /** After any line of the user's, so they win over a broader {@code * text eol=crlf} above them. */
    public static final List<String> ATTRIBUTE_LINES = List.of("*.mver -text", ".mver/** -text");

    private GitFileLines() {
    }

    static RepoPath pathFor(RepoPath artifact) {
        RepoPath parent = artifact.parent();
        return parent == null ? RepoPath.of(".gitignore") : parent.resolve(RepoPath.of(".gitignore"));
    }

    /** The anchored entry that ignores {@code artifact} and nothing else. */
    static String entryFor(RepoPath artifact, boolean directory) {
        return "/" + escape(artifact.fileName()) + (directory ? "/" : "");
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
