package dev.mver.core.ops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.value.Environment;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The fields a user may supply in a {@code --metadata FILE.json}: the metadata record's own names, all optional.
 * Unknown keys are refused (free-form data goes under {@code extra}), except keys starting with {@code _}, which
 * are comments (the shipped template documents each field that way); artifacts always come from pointers.
 */
public record MetadataInput(String schema, String modelName, String version, String reason, String trainingDate,
                            String datasetSnapshotId, String featureSetVersion, String architecture,
                            List<String> features, Map<String, JsonNode> hyperparameters, Map<String, JsonNode> metrics,
                            Map<String, String> libraryVersions, Environment environment, Map<String, JsonNode> extra) {

    public static MetadataInput read(Path file) {
        byte[] bytes = BoundedInput.read(file, "metadata file", Json.MAX_DOCUMENT_BYTES);
        JsonNode tree = Json.parseTree(bytes, "metadata file " + file.getFileName(), ExitCode.USAGE);
        if (!tree.isObject()) {
            throw MverException.usage("metadata file %s must hold a JSON object", file.getFileName());
        }
        if (tree.has("artifacts")) {
            throw MverException.usage("metadata file %s lists artifacts; give them with --artifact instead",
                    file.getFileName());
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) tree).properties().removeIf(e -> e.getKey().startsWith("_"));
        return Json.convert(tree, MetadataInput.class, "metadata file " + file.getFileName(), ExitCode.USAGE);
    }

    /** A command-line value: JSON numbers, booleans and null keep their type, anything else is a string. */
    public static JsonNode scalar(String text) {
        if (text.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?|true|false|null")) {
            return Json.parseTree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "value", ExitCode.USAGE);
        }
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
    }
}
