package dev.mver.core.value;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;

/**
 * YAML read as a JSON tree (the files of other tools: MLflow's {@code MLmodel} and {@code meta.yaml}, DVC's
 * {@code .dvc} files, {@code params.yaml}), through jackson-dataformat-yaml: its loader limits aliases and size, so
 * a hostile file cannot expand without bound, and it builds no objects but the tree.
 */
public final class Yaml {
    private static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory());

    private Yaml() {
    }

    /** The document {@code bytes} hold; {@code what} names it in the one-line error, which exits with {@code code}. */
    public static JsonNode parseTree(byte[] bytes, String what, ExitCode code) {
        try {
            JsonNode tree = MAPPER.readTree(bytes);
            return tree == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : tree;
        } catch (IOException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            throw new MverException(code, what + " is not valid YAML: " + m.lines().findFirst().orElse(m), e);
        }
    }
}
