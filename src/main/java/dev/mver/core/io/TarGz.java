package dev.mver.core.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * A reproducible .tar.gz: entries in the given order, one fixed time, owner 0:0 with no names, modes 0644/0755,
 * POSIX ustar with a PAX header for long names, and a gzip header without a name or time. The same inputs give
 * the same bytes on any machine with the same zlib.
 */
public final class TarGz {
    private static final int BLOCK = 512;
    private static final long MAX_USTAR_SIZE = 077777777777L;

    private TarGz() {
    }

    /** One entry: {@code name} inside the archive ('/'-separated, folders end in '/'), {@code file} null for folders. */
    public record Entry(String name, Path file) {
    }

    public static void write(Path archive, List<Entry> entries, long mtimeSeconds) throws IOException {
        try (OutputStream raw = Files.newOutputStream(archive);
             GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(raw, 1 << 16), 1 << 16);
             OutputStream out = new BufferedOutputStream(gz, 1 << 16)) {
            for (Entry e : entries) {
                boolean dir = e.file() == null;
                long size = dir ? 0 : Files.size(e.file());
                byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
                boolean longName = name.length > 100;
                boolean huge = size > MAX_USTAR_SIZE;
                if (longName || huge) {
                    // PAX extended header: names over 100 bytes, files of 8 GiB and more (large models are).
                    java.io.ByteArrayOutputStream records = new java.io.ByteArrayOutputStream();
                    if (longName) {
                        records.write(pax("path", e.name()));
                    }
                    if (huge) {
                        records.write(pax("size", Long.toString(size)));
                    }
                    byte[] record = records.toByteArray();
                    out.write(header("PaxHeaders/" + Integer.toHexString(e.name().hashCode()), record.length, 'x',
                            mtimeSeconds, false));
                    out.write(record);
                    pad(out, record.length);
                }
                // Folders and files the version marks executable (the checkout set their bits from its manifest).
                boolean executable = dir || FileModes.isExecutable(e.file());
                out.write(header(longName ? truncate(e.name()) : e.name(), huge ? 0 : size, dir ? '5' : '0',
                        mtimeSeconds, executable));
                if (!dir) {
                    try (InputStream in = Files.newInputStream(e.file())) {
                        long copied = in.transferTo(out);
                        if (copied != size) {
                            throw new IOException(e.file() + " changed while it was archived");
                        }
                    }
                    pad(out, size);
                }
            }
            out.write(new byte[BLOCK * 2]);
        }
    }

    private static String truncate(String name) {
        byte[] b = name.getBytes(StandardCharsets.UTF_8);
        return new String(java.util.Arrays.copyOf(b, 99), StandardCharsets.UTF_8).replace("\uFFFD", "_");
    }

    private static byte[] pax(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = body.getBytes(StandardCharsets.UTF_8).length;
        int total = length + Integer.toString(length).length();
        if (Integer.toString(total).length() != Integer.toString(length).length()) {
            total++;
        }
        return (total + body).getBytes(StandardCharsets.UTF_8);
    }

    private static void pad(OutputStream out, long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }

    private static byte[] header(String name, long size, char type, long mtime, boolean executable) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(h, 100, 8, executable ? 0755 : 0644);
        octal(h, 108, 8, 0);
        octal(h, 116, 8, 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, mtime);
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(h, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        octal(h, 148, 7, sum);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int at, int len, byte[] value) {
        System.arraycopy(value, 0, h, at, Math.min(len, value.length));
    }

    private static void octal(byte[] h, int at, int len, long value) {
        String s = Long.toOctalString(value);
        if (s.length() > len - 1) {
            throw new IllegalArgumentException("value too large for a tar header: " + value);
        }
        String padded = "0".repeat(len - 1 - s.length()) + s;
        put(h, at, len - 1, padded.getBytes(StandardCharsets.US_ASCII));
        h[at + len - 1] = 0;
    }
}
