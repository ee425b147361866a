package dev.mver.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** The one file mode mver keeps, as git does: whether a file is executable. */
public final class FileModes {
    private FileModes() {
    }

    /** Whether the owner may execute {@code file} (git's test); false where the file system has no such bit. */
    public static boolean isExecutable(Path file) {
        try {
            return Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS)
                    .contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (UnsupportedOperationException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + file + ": " + e.getMessage(), e);
        }
    }

    /** Sets or clears the execute bits, for whoever may read the file (as git checks files out). */
    public static void setExecutable(Path file, boolean executable) {
        try {
            Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
            boolean changed = false;
            for (String who : new String[] {"OWNER", "GROUP", "OTHERS"}) {
                PosixFilePermission read = PosixFilePermission.valueOf(who + "_READ");
                PosixFilePermission execute = PosixFilePermission.valueOf(who + "_EXECUTE");
                if (!executable) {
                    changed |= mode.remove(execute);
                } else if (mode.contains(read)) {
                    changed |= mode.add(execute);
                }
            }
            if (changed) {
                Files.setPosixFilePermissions(file, mode);
            }
        } catch (UnsupportedOperationException e) {
            // no execute bits on this file system
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set the mode of " + file + ": " + e.getMessage(), e);
        }
    }
}
