package dev.mver.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.StageName;
import dev.mver.core.value.Text;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The committed settings in {@code .mver/config.json}. Parsed strictly so a misspelt key is an error, not a
 * silently ignored setting. Every setting has a default, so {@code {"schema": "mver/config/v1"}} is a full config.
 */
@JsonPropertyOrder({"schema", "stages", "promotion_order", "policy", "remotes", "default_remote", "cache_link",
        "auto_fetch", "max_clock_skew_seconds"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkspaceConfig(String schema, List<StageName> stages, List<StageName> promotionOrder,
                              PolicyConfig policy, Map<String, RemoteConfig> remotes, String defaultRemote,
                              String cacheLink, Boolean autoFetch, Long maxClockSkewSeconds) {
    public static final String SCHEMA = "mver/config/v1";
    /** Where the config lives in the work tree. */
    public static final String FILE = ".mver/config.json";
    public static final List<StageName> DEFAULT_STAGES = List.of(StageName.of("dev"), StageName.of("staging"),
            StageName.of("production"));

    public WorkspaceConfig {
        if (!SCHEMA.equals(schema)) {
            throw MverException.usage("\"schema\" must be \"%s\"", SCHEMA);
        }
        if (stages != null) {
            stages = List.copyOf(stages);
            Set<StageName> seen = new HashSet<>();
            for (StageName s : stages) {
                if (!seen.add(s)) {
                    throw MverException.usage("stage '%s' is listed twice", s);
                }
            }
        }
        if (remotes != null) {
            remotes = Collections.unmodifiableMap(new TreeMap<>(remotes));
            remotes.keySet().forEach(RemoteConfig::requireValidName);
        }
        if (defaultRemote != null && (remotes == null || !remotes.containsKey(defaultRemote))) {
            throw MverException.usage("default_remote '%s' is not one of the remotes", Text.printable(defaultRemote, 40));
        }
        if (cacheLink != null && !cacheLink.equals("copy") && !cacheLink.equals("hardlink")) {
            throw MverException.usage("cache_link must be \"copy\" or \"hardlink\", not '%s'",
                    Text.printable(cacheLink, 40));
        }
        if (maxClockSkewSeconds != null && maxClockSkewSeconds < 0) {
            throw MverException.usage("max_clock_skew_seconds cannot be negative");
        }
        if (promotionOrder != null) {
            promotionOrder = List.copyOf(promotionOrder);
            List<StageName> allowed = stages == null ? DEFAULT_STAGES : stages;
            for (StageName s : promotionOrder) {
                if (!allowed.contains(s)) {
                    throw MverException.usage("promotion_order names '%s', which is not one of the stages %s", s,
                            allowed);
                }
            }
        }
    }

    public static WorkspaceConfig defaults() {
        return new WorkspaceConfig(SCHEMA, null, null, null, null, null, null, null, null);
    }

    public Map<String, RemoteConfig> remotesOrEmpty() {
        return remotes == null ? Map.of() : remotes;
    }

    public WorkspaceConfig withRemotes(Map<String, RemoteConfig> newRemotes, String newDefault) {
        return new WorkspaceConfig(schema, stages, promotionOrder, policy, newRemotes.isEmpty() ? null : newRemotes,
                newDefault, cacheLink, autoFetch, maxClockSkewSeconds);
    }

    /**
     * Whether artifacts are hard-linked into the cache and out of it instead of copied: no second write of the
     * bytes, at the price of read-only artifacts in the work tree (they are the cache's objects). Opt-in.
     */
    /** How far an event may be dated before the model's latest one before it is refused (default 5 minutes). */
    public java.time.Duration maxClockSkew() {
        return java.time.Duration.ofSeconds(maxClockSkewSeconds == null ? 300 : maxClockSkewSeconds);
    }

    /** Whether the hooks that follow git fetch objects missing from the cache (default: yes). */
    public boolean fetchesForHooks() {
        return autoFetch == null || autoFetch;
    }

    public boolean linksArtifacts() {
        return "hardlink".equals(cacheLink);
    }

    /** The policy settings, defaults filled in. */
    public PolicyConfig policyOrDefaults() {
        return policy == null ? PolicyConfig.defaults() : policy;
    }

    /** The stages a model can be promoted to. */
    public List<StageName> allowedStages() {
        return stages == null ? DEFAULT_STAGES : stages;
    }

    /** {@link Json#prepare}: a command that reads the configuration first can set up its reader ahead. */
    public static void prepareReader() {
        Json.prepare(WorkspaceConfig.class);
    }

    public static WorkspaceConfig parse(byte[] bytes) {
        return Json.parse(bytes, WorkspaceConfig.class, FILE, ExitCode.USAGE);
    }

    /** Throws exit 2 unless {@code stage} is one of the configured stages. */
    public void requireStage(StageName stage) {
        if (!allowedStages().contains(stage)) {
            throw MverException.usage("unknown stage '%s' (configured stages: %s)", stage,
                    allowedStages().stream().map(StageName::value).collect(Collectors.joining(", ")));
        }
    }
}
