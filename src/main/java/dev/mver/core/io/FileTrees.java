package dev.mver.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Whole folders: removed with their read-only files (cache objects and linked artifacts are read-only). */
public final class FileTrees {
    private FileTrees() {
    }

    /** Removes {@code dir} and everything in it, never following a link out of it; nothing when it is absent. */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                if (!Files.isSymbolicLink(p)) {
                    p.toFile().setWritable(true);
                }
                Files.delete(p);
            }
        }
    }

    /** Whether the folder {@code dir} holds nothing (an I/O error, {@code dir} not a folder included, is thrown). */
    public static boolean isEmptyFolder(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
