package dev.mver.core.env;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.Environment;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine a version is registered on: OS, architecture, and, when {@code python3} is on the PATH,
 * the Python version and its installed distributions (read with importlib.metadata, which is much faster than
 * {@code pip list}). A missing or broken Python is not an error: the record simply has no Python.
 */
public final class EnvironmentCapture {
    private static final String PROBE = String.join("\n",
            "import json, platform, importlib.metadata as m",
            "pk = {}",
            "for d in m.distributions():",
            "    n = d.metadata['Name']",
            "    if n: pk[n.lower().replace('_', '-').replace('.', '-')] = d.version",
            "print(json.dumps({'version': platform.python_version(), 'packages': pk}))");
    private static final long DEFAULT_TIMEOUT_SECONDS = 20;

    private final Map<String, String> env;

    /** {@code env} is the process environment (injected so tests can point PATH elsewhere). */
    public EnvironmentCapture(Map<String, String> env) {
        this.env = env;
    }

    public Environment capture() {
        Map<String, String> runtimes = new TreeMap<>();
        Map<String, String> packages = new TreeMap<>();
        Path python = findOnPath("python3");
        if (python != null) {
            JsonNode probe = runPython(python);
            if (probe != null && probe.path("version").isTextual()) {
                runtimes.put("python", probe.get("version").asText());
                probe.path("packages").properties().forEach(e -> packages.put(e.getKey(), e.getValue().asText()));
            }
        }
        return new Environment(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), runtimes, packages);
    }

    Path findOnPath(String program) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty() || !Path.of(dir).isAbsolute()) {
                continue; // a relative entry ('.') would run a python3 from the repository itself
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** How long python3 may take; {@code MVER_PYTHON_TIMEOUT_SECONDS} overrides the default of 20 s. */
    long timeoutSeconds() {
        try {
            return Math.max(1, Long.parseLong(env.getOrDefault("MVER_PYTHON_TIMEOUT_SECONDS", "")));
        } catch (NumberFormatException e) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
    }

    private JsonNode runPython(Path python) {
        long timeout = timeoutSeconds();
        ProcessBuilder pb = new ProcessBuilder(python.toString(), "-I", "-c", PROBE);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            Process p = pb.start();
            // Read on another thread so that a python that never exits cannot hang registration.
            java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try (InputStream in = p.getInputStream()) {
                    return in.readNBytes(Json.MAX_DOCUMENT_BYTES);
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(timeout, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return null;
            }
            byte[] bytes = out.get(timeout, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? Json.parseTree(bytes, "python environment", ExitCode.INTERNAL) : null;
        } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException
                 | java.util.concurrent.TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
