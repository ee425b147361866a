package dev.mver.core.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Yaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * An MLflow file store ({@code mlruns/}) read as MLflow's own file stores lay it out
 * ({@code mlflow/store/tracking/file_store.py}, {@code mlflow/store/model_registry/file_store.py}): experiments in
 * {@code ID/meta.yaml} (deleted ones under {@code .trash/}), runs in {@code ID/RUN/} with {@code meta.yaml},
 * {@code params/}, {@code metrics/} (lines of {@code timestamp value [step]}), {@code tags/} and {@code artifacts/};
 * the registry in {@code models/NAME/} with {@code meta.yaml}, {@code tags/}, {@code aliases/} (each file holds a
 * version number) and {@code version-N/meta.yaml} with its own {@code tags/}. Only read, never written.
 */
public final class MlflowStore {
    private static final int MAX_FILE_BYTES = 16 << 20;
    /** MLflow's internal stage for a deleted version: the version is gone. */
    private static final String DELETED = "Deleted_Internal";

    /** A metric's latest value as MLflow reads it (highest step, then time, then value), and its text as written. */
    public record Metric(double value, String text, long timestamp, long step) {
    }

    /** One run: its experiment, who ran it when, and its params, latest metrics and tags. */
    public record Run(String runId, String experimentId, String experimentName, String userId, Long startTime,
                      Long endTime, String artifactUri, boolean deleted, Map<String, String> params,
                      Map<String, Metric> metrics, Map<String, String> tags, Path dir) {
    }

    /** One model version as the registry keeps it (there is no history of its stages: the current one only). */
    public record Version(int number, long created, long updated, String stage, String source, String storageLocation,
                          String runId, String userId, String description, Map<String, String> tags) {
        /** Where the bytes are: the resolved storage location, else the source the version was created from. */
        public String location() {
            return storageLocation != null && !storageLocation.isBlank() ? storageLocation : source;
        }
    }

    /** A registered model: its versions by number (deleted ones left out), tags and aliases. */
    public record RegisteredModel(String name, long created, long updated, String description,
                                  Map<String, String> tags, Map<String, Integer> aliases, List<Version> versions) {
    }

    private final Path root;
    private final Map<String, Run> runs = new HashMap<>();

    private MlflowStore(Path root) {
        this.root = root;
    }

    /** The store at {@code root}: the folder MLflow's tracking URI names ({@code mlruns}); refused (exit 2) if not one. */
    public static MlflowStore open(Path root) {
        Path r = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(r)) {
            throw MverException.usage("%s is not a folder (give the MLflow file store, the folder named mlruns)", root);
        }
        boolean registry = Files.isDirectory(r.resolve("models"));
        boolean tracking = false;
        try (Stream<Path> children = Files.list(r)) {
            tracking = children.anyMatch(c -> !c.getFileName().toString().equals("models")
                    && Files.isRegularFile(c.resolve("meta.yaml")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + root + ": " + e.getMessage(), e);
        }
        if (!registry && !tracking) {
            throw MverException.usage("%s is not an MLflow file store: it has neither models/ (the registry) nor an "
                    + "experiment's meta.yaml (give the folder named mlruns)", root);
        }
        return new MlflowStore(r);
    }

    public Path root() {
        return root;
    }

    /** Every registered model, by name; each one's versions ascending. */
    public List<RegisteredModel> models() {
        Path models = root.resolve("models");
        List<RegisteredModel> out = new ArrayList<>();
        for (Path dir : children(models)) {
            if (!Files.isRegularFile(dir.resolve("meta.yaml"))) {
                continue;
            }
            JsonNode meta = yaml(dir.resolve("meta.yaml"));
            Map<String, Integer> aliases = new TreeMap<>();
            files(dir.resolve("aliases")).forEach((alias, version) -> {
                try {
                    aliases.put(alias, Integer.parseInt(version.strip()));
                } catch (NumberFormatException e) {
                    throw MverException.usage("%s: alias %s names '%s', not a version number", dir, alias, version);
                }
            });
            List<Version> versions = new ArrayList<>();
            for (Path v : children(dir)) {
                if (v.getFileName().toString().startsWith("version-") && Files.isRegularFile(v.resolve("meta.yaml"))) {
                    Version version = version(v);
                    if (!DELETED.equals(version.stage())) {
                        versions.add(version);
                    }
                }
            }
            versions.sort(Comparator.comparingInt(Version::number));
            out.add(new RegisteredModel(text(meta, "name", dir.getFileName().toString()), number(meta,
                    "creation_timestamp"), number(meta, "last_updated_timestamp"), text(meta, "description", null),
                    files(dir.resolve("tags")), aliases, versions));
        }
        out.sort(Comparator.comparing(RegisteredModel::name));
        return out;
    }

    private Version version(Path dir) {
        JsonNode meta = yaml(dir.resolve("meta.yaml"));
        JsonNode number = meta.get("version");
        if (number == null || !number.canConvertToLong() && !number.asText().matches("[0-9]{1,18}")) {
            throw MverException.usage("%s/meta.yaml has no version number", dir);
        }
        long n = number.isNumber() ? number.asLong() : Long.parseLong(number.asText());
        if (n < 1 || n > 1_000_000) {
            throw MverException.usage("%s/meta.yaml: version %s is not a version number MLflow gives", dir, number);
        }
        return new Version((int) n,
                number(meta, "creation_timestamp"), number(meta, "last_updated_timestamp"),
                text(meta, "current_stage", "None"), text(meta, "source", null),
                text(meta, "storage_location", null), text(meta, "run_id", null), text(meta, "user_id", null),
                text(meta, "description", null), files(dir.resolve("tags")));
    }

    /** The run {@code runId} in any experiment, deleted ones too; null when the store does not hold it. */
    public Run run(String runId) {
        if (runId == null || runId.isBlank() || !runId.matches("[0-9A-Za-z_-]+")) {
            return null;
        }
        return runs.computeIfAbsent(runId, id -> {
            List<Path> experiments = new ArrayList<>(children(root));
            experiments.addAll(children(root.resolve(".trash")));
            for (Path exp : experiments) {
                Path dir = exp.resolve(id);
                if (Files.isRegularFile(dir.resolve("meta.yaml")) && Files.isRegularFile(exp.resolve("meta.yaml"))) {
                    return readRun(exp, dir);
                }
            }
            return null;
        });
    }

    private Run readRun(Path experiment, Path dir) {
        JsonNode meta = yaml(dir.resolve("meta.yaml"));
        JsonNode exp = yaml(experiment.resolve("meta.yaml"));
        Map<String, Metric> metrics = new TreeMap<>();
        files(dir.resolve("metrics")).forEach((name, text) -> metrics.put(name, latest(dir, name, text)));
        Map<String, String> tags = files(dir.resolve("tags"));
        String user = text(meta, "user_id", null);
        return new Run(text(meta, "run_id", dir.getFileName().toString()), text(meta, "experiment_id",
                experiment.getFileName().toString()), text(exp, "name", null),
                user == null || user.isBlank() ? tags.get("mlflow.user") : user,
                meta.path("start_time").canConvertToLong() ? meta.get("start_time").asLong() : null,
                meta.path("end_time").canConvertToLong() ? meta.get("end_time").asLong() : null,
                text(meta, "artifact_uri", null), "deleted".equals(text(meta, "lifecycle_stage", "active")),
                files(dir.resolve("params")), metrics, tags, dir);
    }

    /** The value MLflow reports for a metric file: the highest (step, timestamp, value). */
    private static Metric latest(Path run, String name, String text) {
        Metric best = null;
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.strip().split(" ");
            if (parts.length != 2 && parts.length != 3) {
                throw MverException.usage("%s/metrics/%s: '%s' is not 'timestamp value [step]'", run, name,
                        dev.mver.core.value.Text.printable(line, 60));
            }
            Metric m;
            try {
                m = new Metric(parseDouble(parts[1]), parts[1], Long.parseLong(parts[0]),
                        parts.length == 3 ? Long.parseLong(parts[2]) : 0);
            } catch (NumberFormatException e) {
                throw MverException.usage("%s/metrics/%s: '%s' is not 'timestamp value [step]'", run, name,
                        dev.mver.core.value.Text.printable(line, 60));
            }
            if (best == null || compare(m, best) > 0) {
                best = m;
            }
        }
        if (best == null) {
            throw MverException.usage("%s/metrics/%s holds no value", run, name);
        }
        return best;
    }

    /** Python's float(): also nan, inf and -inf, in any case. */
    private static double parseDouble(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "nan", "+nan", "-nan" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(s);
        };
    }

    /** As Python orders (step, timestamp, value) tuples; a NaN value compares as neither greater nor less. */
    private static int compare(Metric a, Metric b) {
        int c = Long.compare(a.step(), b.step());
        if (c == 0) {
            c = Long.compare(a.timestamp(), b.timestamp());
        }
        if (c == 0 && !Double.isNaN(a.value()) && !Double.isNaN(b.value())) {
            c = Double.compare(a.value(), b.value());
        }
        return c;
    }

    /**
     * The local folder a version's bytes are in, or null when they are elsewhere ({@code s3://}, {@code dbfs:/},
     * {@code models:/}, an artifact server). A {@code file:} location that no longer exists (the store was moved
     * or copied) is looked for at the same place under this store's run folder.
     */
    public Path localSource(Version v) {
        String location = v.location();
        if (location == null || location.isBlank()) {
            return null;
        }
        Path path = null;
        if (location.startsWith("runs:/")) {
            String rest = location.substring("runs:/".length());
            int slash = rest.indexOf('/');
            Run run = run(slash < 0 ? rest : rest.substring(0, slash));
            String inRun = slash < 0 ? "" : rest.substring(slash + 1);
            if (run != null) {
                Path artifacts = run.artifactUri() == null ? null : fileUri(run.artifactUri());
                path = artifacts == null ? null : artifacts.resolve(inRun);
                if (path == null || !Files.isDirectory(path)) {
                    path = run.dir().resolve("artifacts").resolve(inRun);
                }
            }
        } else {
            path = fileUri(location);
            if (path != null && !Files.exists(path) && v.runId() != null) {
                String marker = "/" + v.runId() + "/artifacts/";
                String s = path.toString().replace('\\', '/');
                int at = s.indexOf(marker);
                Run run = run(v.runId());
                if (at >= 0 && run != null) {
                    path = run.dir().resolve("artifacts").resolve(s.substring(at + marker.length()));
                }
            }
        }
        if (path == null || !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return null;
        }
        return withinStore(path, v.runId());
    }

    /**
     * {@code path} when it lies (links resolved) inside this store or inside the artifact folder of the version's
     * run; otherwise refused: a store's file names nothing else on this machine ({@code runs:/RUN/../../..}).
     */
    private Path withinStore(Path path, String runId) {
        try {
            Path real = path.toRealPath();
            List<Path> roots = new ArrayList<>(List.of(root.toRealPath()));
            Run run = run(runId);
            Path artifacts = run == null || run.artifactUri() == null ? null : fileUri(run.artifactUri());
            if (artifacts != null && Files.isDirectory(artifacts)) {
                roots.add(artifacts.toRealPath());
            }
            if (roots.stream().noneMatch(real::startsWith)) {
                throw MverException.usage("model version source %s lies outside the store %s and its run's "
                        + "artifacts: not read", path, root);
            }
            return real;
        } catch (IOException e) {
            return null;
        }
    }

    /** A local path from a {@code file:} URI or a plain absolute path; null for any other scheme. */
    private static Path fileUri(String location) {
        try {
            if (location.startsWith("file:")) {
                return Path.of(URI.create(location));
            }
            if (location.startsWith("/") || location.matches("[A-Za-z]:[\\\\/].*")) {
                return Path.of(location);
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
        return null;
    }

    private static List<Path> children(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files under {@code dir}, by their path in it ('/'-separated: MLflow stores a name with slashes as
     * folders), each one's text; empty when there is no such folder.
     */
    private static Map<String, String> files(Path dir) {
        Map<String, String> out = new TreeMap<>();
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return out;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList()) {
                String name = dir.relativize(f).toString().replace('\\', '/');
                out.put(name, new String(BoundedInput.read(f, "MLflow file", MAX_FILE_BYTES), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static JsonNode yaml(Path file) {
        JsonNode node = Yaml.parseTree(BoundedInput.read(file, "MLflow file", MAX_FILE_BYTES), file.toString(),
                ExitCode.USAGE);
        if (!node.isObject()) {
            throw MverException.usage("%s is not an MLflow meta.yaml (no mapping of keys)", file);
        }
        return node;
    }

    private static String text(JsonNode node, String key, String otherwise) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() || v.isContainerNode() ? otherwise : v.asText();
    }

    private static long number(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v != null && v.canConvertToLong() ? v.asLong() : 0;
    }
}
