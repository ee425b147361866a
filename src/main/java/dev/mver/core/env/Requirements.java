package dev.mver.core.env;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Library versions from a Python dependency file: pip requirements ({@code pip freeze}, pip-compile output with
 * hashes and continuations), {@code Pipfile.lock}, and TOML lock files with {@code [[package]]} tables
 * ({@code poetry.lock}, {@code uv.lock}, {@code pdm.lock}). Names are normalised as PEP 503 does; an exact pin
 * {@code ==1.2} is recorded as {@code 1.2}, any other specifier as written.
 */
public final class Requirements {
    private static final int MAX_BYTES = 8 * 1024 * 1024;
    private static final Pattern REQUIREMENT = Pattern.compile(
            "^([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[[^\\]]*\\])?\\s*(\\(?\\s*(?:===|==|~=|!=|>=|<=|>|<)[^;#]*?\\)?)?\\s*(?:;.*)?$");
    private static final Pattern TOML_STRING = Pattern.compile("^(name|version)\\s*=\\s*\"([^\"]*)\"\\s*$");

    private Requirements() {
    }

    public static Map<String, String> read(Path file) {
        return parse(file, BoundedInput.read(file, "requirements file", MAX_BYTES));
    }

    /** The libraries of a dependency file's {@code bytes}, by the kind its name says; {@code file} names it in errors. */
    public static Map<String, String> parse(Path file, byte[] bytes) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (name.equals("pipfile.lock")) {
            return pipfileLock(bytes, file);
        }
        if (text.contains("[[package]]")) {
            return tomlLock(text, file);
        }
        return requirementsTxt(text, file);
    }

    public static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    static Map<String, String> requirementsTxt(String text, Path file) {
        Map<String, String> libs = new TreeMap<>();
        String[] lines = text.replace("\\\r\n", " ").replace("\\\n", " ").split("\r?\n");
        int lineNo = 0;
        for (String raw : lines) {
            lineNo++;
            String line = raw.replaceAll("(^|\\s)#.*$", "").strip();
            // Drop per-requirement options (--hash=...) that pip-compile appends.
            line = line.replaceAll("\\s--?[a-z-]+(=\\S+|\\s+\\S+)?", "").strip();
            if (line.isEmpty() || line.startsWith("-")) {
                continue;
            }
            if (line.contains("://") || line.startsWith(".") || line.startsWith("/")) {
                int egg = line.indexOf("#egg=");
                if (egg >= 0) {
                    libs.put(normalise(line.substring(egg + 5)), line.substring(0, egg));
                }
                continue;
            }
            int at = line.indexOf(" @ ");
            if (at > 0) {
                libs.put(normalise(line.substring(0, at).replaceAll("\\[.*]", "").strip()), line.substring(at + 3).strip());
                continue;
            }
            Matcher m = REQUIREMENT.matcher(line);
            if (!m.matches()) {
                throw MverException.usage("%s:%d: cannot read requirement '%s'", file, lineNo,
                        Text.printable(line, 60));
            }
            String spec = m.group(2) == null ? "*" : m.group(2).replaceAll("[()\\s]", "");
            if (spec.startsWith("==") && !spec.startsWith("===") && !spec.contains(",") && !spec.contains("*")) {
                spec = spec.substring(2);
            }
            libs.put(normalise(m.group(1)), spec);
        }
        return libs;
    }

    static Map<String, String> tomlLock(String text, Path file) {
        Map<String, String> libs = new TreeMap<>();
        String name = null;
        String version = null;
        boolean inPackage = false;
        for (String raw : (text + "\n[end]").split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("[")) {
                if (inPackage && name != null && version != null) {
                    libs.put(normalise(name), version);
                }
                inPackage = line.equals("[[package]]");
                name = null;
                version = null;
                continue;
            }
            if (inPackage) {
                Matcher m = TOML_STRING.matcher(line);
                if (m.matches()) {
                    if (m.group(1).equals("name")) {
                        name = m.group(2);
                    } else {
                        version = m.group(2);
                    }
                }
            }
        }
        if (libs.isEmpty()) {
            throw MverException.usage("%s: no [[package]] entries with name and version found", file);
        }
        return libs;
    }

    static Map<String, String> pipfileLock(byte[] bytes, Path file) {
        JsonNode root = Json.parseTree(bytes, file.toString(), ExitCode.USAGE);
        Map<String, String> libs = new TreeMap<>();
        for (String section : new String[] {"default", "develop"}) {
            root.path(section).properties().forEach(e -> {
                String v = e.getValue().path("version").asText("*");
                libs.putIfAbsent(normalise(e.getKey()), v.startsWith("==") ? v.substring(2) : v);
            });
        }
        return libs;
    }
}
