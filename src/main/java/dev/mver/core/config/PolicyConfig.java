package dev.mver.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.MetadataField;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The policy settings under {@code "policy"} in {@code .mver/config.json}; every one has a default, and each rule
 * can be switched off by its id in {@code "rules"}.
 */
@JsonPropertyOrder({"model_patterns", "max_file_bytes", "informal_name_pattern", "required_fields", "rules"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyConfig(List<String> modelPatterns, Long maxFileBytes, String informalNamePattern,
                           List<String> requiredFields, Map<String, Boolean> rules) {

    /** The settings (by their JSON names) in which {@code b} differs from {@code a}, a rule's id with its new state. */
    public static List<String> differences(PolicyConfig a, PolicyConfig b) {
        List<String> out = new java.util.ArrayList<>();
        if (!a.patterns().equals(b.patterns())) {
            out.add("model_patterns");
        }
        if (a.threshold() != b.threshold()) {
            out.add("max_file_bytes " + a.threshold() + " -> " + b.threshold());
        }
        if (!java.util.Objects.equals(a.informalNamePattern(), b.informalNamePattern())) {
            out.add("informal_name_pattern");
        }
        if (!java.util.Objects.equals(a.requiredFields(), b.requiredFields())) {
            out.add("required_fields");
        }
        for (Rule r : Rule.values()) {
            if (a.enabled(r) != b.enabled(r)) {
                out.add(r.id() + (b.enabled(r) ? " on" : " off"));
            }
        }
        return out.isEmpty() ? List.of("settings") : out;
    }

    /** Model formats, and the compressed and archived forms models and arrays are shipped in (model.pkl.gz). */
    public static final List<String> DEFAULT_MODEL_PATTERNS = List.of("*.pkl", "*.pickle", "*.joblib", "*.onnx",
            "*.pt", "*.pth", "*.h5", "*.keras", "*.safetensors", "*.ckpt", "*.pb", "*.tflite", "*.gguf", "*.bin",
            "*.parquet", "*.npy", "*.npz", "*.gz", "*.tgz", "*.bz2", "*.xz", "*.zst", "*.zip", "*.tar", "*.7z");
    public static final long DEFAULT_MAX_FILE_BYTES = 10L << 20;
    /** Words that mark a name as a temporary state rather than a version: model_final.pkl, churn_v2_final.onnx. */
    public static final String DEFAULT_INFORMAL_NAME_PATTERN =
            "(?i)(^|[^a-z0-9])(final|latest|new|old|copy|backup|bak|tmp|temp|test\\d*|v\\d+_final|final_?v?\\d+)([^a-z0-9]|$)";
    public static final List<String> DEFAULT_REQUIRED_FIELDS = List.of("library_versions", "dataset_snapshot_id",
            "feature_set_version", "reason");
    /** The fields {@code required_fields} may name. */
    public static final Set<String> FIELDS = java.util.Arrays.stream(MetadataField.values())
            .filter(MetadataField::requirable).map(MetadataField::id).collect(java.util.stream.Collectors.toSet());

    public PolicyConfig {
        if (modelPatterns != null) {
            modelPatterns = List.copyOf(modelPatterns);
            for (String p : modelPatterns) {
                if (p.isEmpty() || p.contains("\n") || p.contains("'") || p.contains("\\")) {
                    throw MverException.invalid("model pattern '" + Text.printable(p, 40)
                            + "' is not a simple glob");
                }
                FileSystems.getDefault().getPathMatcher("glob:" + p);
            }
        }
        if (maxFileBytes != null && maxFileBytes < 1) {
            throw MverException.invalid("max_file_bytes must be positive");
        }
        if (informalNamePattern != null) {
            try {
                Pattern.compile(informalNamePattern);
            } catch (PatternSyntaxException e) {
                throw MverException.invalid("informal_name_pattern is not a regular expression: "
                        + e.getDescription());
            }
        }
        if (requiredFields != null) {
            requiredFields = List.copyOf(requiredFields);
            for (String f : requiredFields) {
                if (!FIELDS.contains(f)) {
                    throw MverException.invalid("required_fields names '" + Text.printable(f, 40)
                            + "', which is not a metadata field " + new java.util.TreeSet<>(FIELDS));
                }
            }
        }
        if (rules != null) {
            rules = new TreeMap<>(rules);
            for (String id : rules.keySet()) {
                if (Rule.byId(id) == null) {
                    throw MverException.invalid("unknown rule '" + Text.printable(id, 40)
                            + "' in policy.rules (known: " + Rule.ids() + ")");
                }
            }
        }
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(null, null, null, null, null);
    }

    public List<String> patterns() {
        return modelPatterns == null ? DEFAULT_MODEL_PATTERNS : modelPatterns;
    }

    public long threshold() {
        return maxFileBytes == null ? DEFAULT_MAX_FILE_BYTES : maxFileBytes;
    }

    public Pattern informalNames() {
        return Pattern.compile(informalNamePattern == null ? DEFAULT_INFORMAL_NAME_PATTERN : informalNamePattern);
    }

    public List<MetadataField> required() {
        return (requiredFields == null ? DEFAULT_REQUIRED_FIELDS : requiredFields).stream().map(MetadataField::byId)
                .toList();
    }

    public boolean enabled(Rule rule) {
        return rules == null || rules.getOrDefault(rule.id(), Boolean.TRUE);
    }

    /** Whether a file name matches one of the model patterns, ignoring case (model.PKL is a pickle too). */
    public boolean isModelFile(String path) {
        String lower = path.toLowerCase(java.util.Locale.ROOT);
        String name = lower.substring(lower.lastIndexOf('/') + 1);
        for (String p : patterns()) {
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.toLowerCase(java.util.Locale.ROOT));
            if (m.matches(Path.of(name)) || m.matches(Path.of(lower))) {
                return true;
            }
        }
        return false;
    }
}
