package dev.mver.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@code python3} that answers mver's environment probe at once with a fixed interpreter version and one
 * package. Every {@code register} runs {@code python3} from the PATH it is given; the machine's own interpreter
 * costs 0.3 s to over 1 s a run (a pyenv shim starts a dozen shells first), which most tests only wait for.
 * Tests about the probe itself (RegisterTest, HardeningTest) keep or set their own PATH.
 */
public final class Python3Stub {
    /** What the stub prints: the shape of the real probe's answer. */
    public static final String ANSWER = "{\"version\": \"3.11.0\", \"packages\": {\"numpy\": \"2.1.3\"}}";

    private static Path dir;

    private Python3Stub() {
    }

    /** The folder holding the stub, made once per JVM and removed when it exits. */
    public static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("mver-test-python3-");
                Path python = d.resolve("python3");
                Files.writeString(python, "#!/bin/sh\necho '" + ANSWER + "'\n");
                Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwxr-xr-x"));
                d.toFile().deleteOnExit();
                python.toFile().deleteOnExit(); // registered last, deleted first
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** {@code env} with the stub's folder first on its PATH: everything else on the PATH is found as before. */
    public static Map<String, String> first(Map<String, String> env) {
        Map<String, String> out = new HashMap<>(env);
        String path = env.get("PATH");
        out.put("PATH", path == null || path.isEmpty() ? dir().toString() : dir() + java.io.File.pathSeparator + path);
        return out;
    }
}
