package dev.mver.core.env;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.Environment;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Describes the machine a version is registered on: OS, architecture, and the Python interpreter that trained the
 * model with its installed distributions (read with importlib.metadata, much faster than {@code pip list}). The
 * interpreter is chosen, not guessed: {@code --python}, else {@code MVER_PYTHON}, else the active virtual or conda
 * environment ({@code VIRTUAL_ENV}, {@code CONDA_PREFIX}), else {@code python3} on the PATH; the record names it and
 * what chose it ({@code runtimes}: {@code python.interpreter}, {@code python.chosen_by}). When none is found the
 * record simply has no Python; one named with --python or MVER_PYTHON that does not run is an error (exit 2).
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
    private final String pythonOption;
    private java.util.concurrent.CompletableFuture<Environment> pending;

    /** {@code env} is the process environment (injected so tests can point PATH elsewhere). */
    public EnvironmentCapture(Map<String, String> env) {
        this(env, null);
    }

    /** {@code pythonOption}: the interpreter given with {@code --python} (a path, or a name on the PATH), or null. */
    public EnvironmentCapture(Map<String, String> env, String pythonOption) {
        this.env = env;
        this.pythonOption = pythonOption;
    }

    /** An interpreter and what chose it, in the words the user would use to change it. */
    public record Interpreter(Path path, String chosenBy) {
    }

    /** The interpreter to ask, or null when there is none; exit 2 when the one named does not exist. */
    public Interpreter interpreter() {
        if (pythonOption != null) {
            return new Interpreter(named(pythonOption, "--python"), "--python");
        }
        String fromEnv = env.get("MVER_PYTHON");
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Interpreter(named(fromEnv.strip(), "MVER_PYTHON"), "MVER_PYTHON");
        }
        for (String variable : java.util.List.of("VIRTUAL_ENV", "CONDA_PREFIX")) {
            String prefix = env.get(variable);
            if (prefix != null && !prefix.isBlank()) {
                for (String name : java.util.List.of("bin/python", "bin/python3")) {
                    Path p = Path.of(prefix.strip()).resolve(name);
                    if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        return new Interpreter(p, variable);
                    }
                }
            }
        }
        Path onPath = findOnPath("python3");
        return onPath == null ? null : new Interpreter(onPath, "PATH");
    }

    private Path named(String given, String source) {
        Path p = given.contains("/") ? Path.of(given) : findOnPath(given);
        if (p == null || !Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw MverException.usage("%s %s is not an executable Python interpreter", source,
                    Text.printable(given, 120));
        }
        return p.toAbsolutePath().normalize();
    }

    /**
     * Starts reading the environment on another thread: the Python probe takes about half a second, which a
     * registration's reading of the registry can overlap. {@link #capture} waits for it.
     */
    public synchronized void prefetch() {
        if (pending == null) {
            // Its own thread: the probe blocks on the process, and the shared pool (one thread on two cores) also
            // runs the reader of the probe's output.
            pending = java.util.concurrent.CompletableFuture.supplyAsync(this::probe, task -> {
                Thread t = new Thread(task, "mver-environment");
                t.setDaemon(true);
                t.start();
            });
        }
    }

    /** The environment, read once per instance (started by {@link #prefetch} or now). */
    public Environment capture() {
        prefetch();
        try {
            return pending.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Environment probe() {
        Map<String, String> runtimes = new TreeMap<>();
        Map<String, String> packages = new TreeMap<>();
        Interpreter python = interpreter();
        if (python != null) {
            JsonNode probe = runPython(python.path());
            if (probe != null && probe.path("version").isTextual()) {
                runtimes.put("python", probe.get("version").asText());
                runtimes.put("python.interpreter", python.path().toString());
                runtimes.put("python.chosen_by", python.chosenBy());
                probe.path("packages").properties().forEach(e -> packages.put(e.getKey(), e.getValue().asText()));
            } else if (python.chosenBy().equals("--python") || python.chosenBy().equals("MVER_PYTHON")) {
                throw MverException.usage("the Python interpreter %s (%s) did not answer mver's probe (python -I -c "
                        + "'import importlib.metadata'); give a working one with --python", python.path(),
                        python.chosenBy());
            }
        }
        return new Environment(System.getProperty("os.name"), System.getProperty("os.version"),
                System.getProperty("os.arch"), runtimes, packages);
    }

    Path findOnPath(String program) {
        return SearchPath.find(env, program);
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
