package dev.mver.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import dev.mver.core.workspace.Workspace;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The committed settings in {@code .mver/config.json}. Parsed strictly so a misspelt key is an error, not a
 * silently ignored setting. Every setting has a default, so {@code {"schema": "mver/config/v1"}} is a full config.
 */
@JsonPropertyOrder({"schema", "stages", "promotion_order", "policy", "remotes", "default_remote", "cache_link"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceConfig(String schema, List<String> stages, List<String> promotionOrder,
                              PolicyConfig policy,
                              java.util.Map<String, RemoteConfig> remotes, String defaultRemote,
                              String cacheLink) {
    public static final String SCHEMA = "mver/config/v1";
    public static final List<String> DEFAULT_STAGES = List.of("dev", "staging", "production");
    private static final Pattern STAGE = Pattern.compile("[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?");

    public WorkspaceConfig {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("\"schema\" must be \"" + SCHEMA + "\"");
        }
        if (stages != null) {
            stages = List.copyOf(stages);
            Set<String> seen = new HashSet<>();
            for (String s : stages) {
                if (!isValidStageName(s) || !seen.add(s)) {
                    throw new IllegalArgumentException("stage '" + Text.printable(s, 40)
                            + "' is not a valid, unique stage name (lower-case letters, digits, '-', '_')");
                }
            }
        }
        if (remotes != null) {
            remotes = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(remotes));
            remotes.keySet().forEach(RemoteConfig::requireValidName);
        }
        if (defaultRemote != null && (remotes == null || !remotes.containsKey(defaultRemote))) {
            throw new IllegalArgumentException("default_remote '" + Text.printable(defaultRemote, 40)
                    + "' is not one of the remotes");
        }
        if (cacheLink != null && !cacheLink.equals("copy") && !cacheLink.equals("hardlink")) {
            throw new IllegalArgumentException("cache_link must be \"copy\" or \"hardlink\", not '"
                    + Text.printable(cacheLink, 40) + "'");
        }
        if (promotionOrder != null) {
            promotionOrder = List.copyOf(promotionOrder);
            List<String> allowed = stages == null ? DEFAULT_STAGES : stages;
            for (String s : promotionOrder) {
                if (!allowed.contains(s)) {
                    throw new IllegalArgumentException("promotion_order names '" + Text.printable(s, 40)
                            + "', which is not one of the stages " + allowed);
                }
            }
        }
    }

    public static WorkspaceConfig defaults() {
        return new WorkspaceConfig(SCHEMA, null, null, null, null, null, null);
    }

    public java.util.Map<String, RemoteConfig> remotesOrEmpty() {
        return remotes == null ? java.util.Map.of() : remotes;
    }

    public WorkspaceConfig withRemotes(java.util.Map<String, RemoteConfig> newRemotes,
                                       String newDefault) {
        return new WorkspaceConfig(schema, stages, promotionOrder, policy, newRemotes.isEmpty() ? null : newRemotes,
                newDefault, cacheLink);
    }

    /**
     * Whether artifacts are hard-linked into the cache and out of it instead of copied: no second write of the
     * bytes, at the price of read-only artifacts in the work tree (they are the cache's objects). Opt-in.
     */
    public boolean linksArtifacts() {
        return "hardlink".equals(cacheLink);
    }

    /** The policy settings, defaults filled in. */
    public PolicyConfig policyOrDefaults() {
        return policy == null ? PolicyConfig.defaults() : policy;
    }

    public static boolean isValidStageName(String s) {
        return s != null && STAGE.matcher(s).matches();
    }

    /** The stages a model can be promoted to. */
    public List<String> allowedStages() {
        return stages == null ? DEFAULT_STAGES : stages;
    }

    public static WorkspaceConfig parse(byte[] bytes) {
        return Json.parse(bytes, WorkspaceConfig.class, Workspace.CONFIG_FILE, ExitCode.USAGE);
    }

    /** Throws exit 2 unless {@code stage} is one of the configured stages. */
    public void requireStage(String stage) {
        if (!allowedStages().contains(stage)) {
            throw MverException.usage("unknown stage '%s' (configured stages: %s)",
                    Text.printable(stage, 40), String.join(", ", allowedStages()));
        }
    }
}
