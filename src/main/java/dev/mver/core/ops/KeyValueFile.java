package dev.mver.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Yaml;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Metrics or hyperparameters from the files training code and DVC write: a JSON object ({@code metrics.json}) or
 * YAML ({@code params.yaml}, by its extension). Nested sections are flattened with dots, as DVC shows them
 * ({@code train: {lr: 0.1}} is {@code train.lr}); lists stay values.
 */
final class KeyValueFile {
    private KeyValueFile() {
    }

    static Map<String, JsonNode> read(Path file, String what) {
        byte[] bytes = BoundedInput.read(file, what, Json.MAX_DOCUMENT_BYTES);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        JsonNode tree;
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            tree = Yaml.parseTree(bytes, what + " " + file.getFileName(), ExitCode.USAGE);
        } else {
            tree = Json.parseTree(bytes, what + " " + file.getFileName(), ExitCode.USAGE);
        }
        if (tree == null || !tree.isObject()) {
            throw MverException.usage("%s %s must hold an object of names and values", what, file.getFileName());
        }
        Map<String, JsonNode> out = new TreeMap<>();
        flatten("", tree, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, JsonNode> out) {
        node.properties().forEach(e -> {
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                flatten(key, e.getValue(), out);
            } else {
                out.put(key, e.getValue());
            }
        });
    }
}
