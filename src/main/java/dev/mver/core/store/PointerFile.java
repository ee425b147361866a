package dev.mver.core.store;

import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.Text;
import java.nio.charset.StandardCharsets;

/**
 * The small file committed beside an artifact in place of its bytes ({@code model.pkl.mver} for
 * {@code model.pkl}). The format is four fixed lines, parsed strictly: any other key, order, case or spacing is
 * refused, so a pointer can never smuggle a path or a short hash into the store.
 * <pre>
 * mver-pointer v1
 * type file
 * sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
 * size 4
 * </pre>
 */
public record PointerFile(ArtifactType type, Sha256 sha256, long size) {
    public static final String SUFFIX = ".mver";
    public static final int MAX_BYTES = 512;
    private static final String HEADER = "mver-pointer v1";

    public PointerFile {
        if (type == null || sha256 == null || size < 0) {
            throw MverException.invalid("pointer needs a type, a sha256 and a size");
        }
    }

    public static boolean isPointerPath(String path) {
        return path.endsWith(SUFFIX) && path.length() > SUFFIX.length() && !path.endsWith("/" + SUFFIX);
    }

    public static RepoPath pointerPathOf(RepoPath artifact) {
        return artifact.withSuffix(SUFFIX);
    }

    public static RepoPath artifactPathOf(RepoPath pointer) {
        String v = pointer.value();
        return RepoPath.of(v.substring(0, v.length() - SUFFIX.length()));
    }

    /** Parses a pointer; throws a usage error naming the first problem (readers of repository content make it exit 6). */
    public static PointerFile parse(byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw MverException.invalid("pointer is larger than " + MAX_BYTES + " bytes");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
            throw MverException.invalid("pointer is not UTF-8");
        }
        if (!text.endsWith("\n")) {
            throw MverException.invalid("pointer does not end with a newline");
        }
        // A Windows checkout (core.autocrlf, eol=crlf) turns every LF into CRLF: accepted when it did so for every
        // line, so the content is exactly the pointer mver wrote. A stray CR anywhere else is still refused.
        if (text.endsWith("\r\n") && text.replace("\r\n", "").indexOf('\n') < 0) {
            text = text.replace("\r\n", "\n");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length != 4) {
            throw MverException.invalid("pointer has " + lines.length + " lines, expected 4");
        }
        if (!lines[0].equals(HEADER)) {
            throw MverException.invalid("pointer does not start with '" + HEADER + "'");
        }
        ArtifactType type = ArtifactType.of(value(lines[1], "type"));
        Sha256 sha = Sha256.ofHex(value(lines[2], "sha256"));
        String sizeText = value(lines[3], "size");
        if (!sizeText.matches("0|[1-9][0-9]{0,18}")) {
            throw MverException.invalid("pointer size is not a non-negative integer: " + sizeText);
        }
        long size;
        try {
            size = Long.parseLong(sizeText);
        } catch (NumberFormatException e) {
            throw MverException.invalid("pointer size is out of range: " + sizeText);
        }
        return new PointerFile(type, sha, size);
    }

    private static String value(String line, String key) {
        String prefix = key + " ";
        if (!line.startsWith(prefix)) {
            throw MverException.invalid("expected '" + key + " ...', found '"
                    + Text.printable(line, 40) + "'");
        }
        return line.substring(prefix.length());
    }

    public byte[] toBytes() {
        return (HEADER + "\ntype " + type.id() + "\nsha256 " + sha256.hex() + "\nsize " + size + "\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
