package dev.mver.core.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mver.core.env.Requirements;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Yaml;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What an MLflow model folder (written by {@code mlflow.<flavor>.save_model} or {@code log_model}) says of itself:
 * its {@code MLmodel} file's flavors (each one's loader module and library version), the MLflow version that wrote
 * it, the signature (inputs, outputs and params, which MLmodel holds as JSON text) and the input example's path; and
 * the libraries it needs, from {@code requirements.txt}, else {@code python_env.yaml}, else {@code conda.yaml}, as
 * MLflow itself prefers them. Recorded in a version's {@code extra.mlflow_model}, keyed by the artifact's path.
 */
public record MlflowModel(ObjectNode details, Map<String, String> libraries) {
    /** The key in a record's {@code extra} that holds each MLflow model artifact's details. */
    public static final String EXTRA_KEY = "mlflow_model";
    public static final String MLMODEL = "MLmodel";

    /**
     * The model in a folder, whose files {@code files} reads by their path in the folder (null when absent);
     * {@code where} is the folder's path in the repository. Null when the folder has no {@code MLmodel} file.
     */
    public static MlflowModel read(Function<String, byte[]> files, String where) {
        byte[] mlmodel = files.apply(MLMODEL);
        if (mlmodel == null) {
            return null;
        }
        JsonNode doc = Yaml.parseTree(mlmodel, where + "/" + MLMODEL, ExitCode.USAGE);
        if (!doc.isObject() || !doc.path("flavors").isObject()) {
            throw MverException.usage("%s/%s is not an MLflow model file: it has no flavors", where, MLMODEL);
        }
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode details = nodes.objectNode();
        ObjectNode flavors = details.putObject("flavors");
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("flavors").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            ObjectNode flavor = flavors.putObject(f.getKey());
            flavor.put("loader_module", loaderModule(f.getKey(), f.getValue()));
            flavor.put("version", flavorVersion(f.getKey(), f.getValue()));
            flavor.set("config", f.getValue());
        }
        details.put("mlflow_version", text(doc.get("mlflow_version")));
        JsonNode signature = doc.get("signature");
        if (signature != null && signature.isObject()) {
            ObjectNode sig = details.putObject("signature");
            for (String part : new String[] {"inputs", "outputs", "params"}) {
                sig.set(part, embeddedJson(signature.get(part)));
            }
        } else {
            details.putNull("signature");
        }
        String example = text(doc.path("saved_input_example_info").get("artifact_path"));
        details.put("input_example", example == null ? null : where + "/" + example);
        for (String key : new String[] {"model_uuid", "run_id", "artifact_path", "utc_time_created"}) {
            details.put(key, text(doc.get(key)));
        }
        JsonNode size = doc.get("model_size_bytes");
        if (size != null && size.canConvertToLong()) {
            details.put("model_size_bytes", size.asLong());
        }
        return new MlflowModel(details, libraries(files, where));
    }

    /** The pyfunc flavor names its loader; every other flavor is loaded by its own module, mlflow.NAME. */
    private static String loaderModule(String name, JsonNode config) {
        String named = text(config.get("loader_module"));
        return named != null ? named : name.equals("python_function") ? null : "mlflow." + name;
    }

    /**
     * The flavor library's version: {@code NAME_version} ({@code sklearn_version}, {@code pytorch_version}), else
     * the one other {@code *_version} key a flavor writes ({@code xgb_version}, {@code keras_version}); none for
     * python_function, whose {@code python_version} is the interpreter's.
     */
    private static String flavorVersion(String name, JsonNode config) {
        String own = text(config.get(name + "_version"));
        if (own != null || name.equals("python_function")) {
            return own;
        }
        String found = null;
        for (Iterator<String> keys = config.fieldNames(); keys.hasNext(); ) {
            String k = keys.next();
            if (k.endsWith("_version") && !k.equals("python_version") && !k.equals("mlflow_version")) {
                if (found != null) {
                    return null; // two candidates: none is surely the flavor's
                }
                found = text(config.get(k));
            }
        }
        return found;
    }

    /** MLmodel keeps a signature's parts as JSON text inside the YAML; read back as JSON, or kept as text. */
    private static JsonNode embeddedJson(JsonNode part) {
        if (part == null || part.isNull()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (!part.isTextual()) {
            return part;
        }
        try {
            return Json.parseTree(part.asText().getBytes(StandardCharsets.UTF_8), "signature", ExitCode.USAGE);
        } catch (MverException e) {
            return part;
        }
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isContainerNode() ? null : n.asText();
    }

    /**
     * The libraries the model needs: {@code requirements.txt} (pip's), else {@code python_env.yaml}'s build and
     * run dependencies, else {@code conda.yaml}'s pip list and {@code name=version} specs (Python itself left to
     * the environment).
     */
    private static Map<String, String> libraries(Function<String, byte[]> files, String where) {
        byte[] requirements = files.apply("requirements.txt");
        if (requirements != null) {
            return Requirements.parse(Path.of(where, "requirements.txt"), requirements);
        }
        Map<String, String> out = new TreeMap<>();
        byte[] pythonEnv = files.apply("python_env.yaml");
        if (pythonEnv != null) {
            JsonNode env = Yaml.parseTree(pythonEnv, where + "/python_env.yaml", ExitCode.USAGE);
            out.putAll(pipList(env.path("dependencies"), where + "/python_env.yaml"));
            if (!out.isEmpty()) {
                return out; // MLflow's own python_env.yaml holds only "-r requirements.txt": then conda.yaml tells
            }
        }
        byte[] conda = files.apply("conda.yaml");
        if (conda != null) {
            JsonNode env = Yaml.parseTree(conda, where + "/conda.yaml", ExitCode.USAGE);
            for (JsonNode dep : env.path("dependencies")) {
                if (dep.isObject() && dep.has("pip")) {
                    out.putAll(pipList(dep.get("pip"), where + "/conda.yaml"));
                } else if (dep.isTextual()) {
                    String[] spec = dep.asText().strip().split("=+", 2);
                    String name = Requirements.normalise(spec[0].strip());
                    if (!name.isEmpty() && !name.equals("python") && !name.equals("pip")) {
                        out.putIfAbsent(name, spec.length == 2 ? spec[1].strip() : "*");
                    }
                }
            }
        }
        return out;
    }

    /** A YAML list of pip requirement lines, read as requirements.txt reads them ({@code -r} lines skipped). */
    private static Map<String, String> pipList(JsonNode list, String where) {
        StringBuilder lines = new StringBuilder();
        for (JsonNode line : list) {
            if (line.isTextual()) {
                lines.append(line.asText()).append('\n');
            }
        }
        return Requirements.parse(Path.of(where), lines.toString().getBytes(StandardCharsets.UTF_8));
    }
}
