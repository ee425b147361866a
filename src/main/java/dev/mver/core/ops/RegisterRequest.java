package dev.mver.core.ops;

import dev.mver.core.value.Bump;
import dev.mver.core.value.ModelName;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code mver register} was asked to record. Null means "not given": the value is inherited from the
 * previous version (metrics only while the artifacts are unchanged) or taken from the metadata file. With
 * {@code autoBump} the version is the latest bumped by what the change requires; {@code force} skips the policy
 * (bump size and required fields), never the version order.
 */
public record RegisterRequest(ModelName model, String version, Bump bump, String reason, List<String> artifacts,
                              String dataset, String featureSet, List<String> features, String architecture,
                              Map<String, String> params, Map<String, String> metrics, Map<String, String> libs,
                              Path requirements, Path metadataFile, String trainingDate, boolean autoBump,
                              boolean force) {
    public RegisterRequest {
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        params = params == null ? Map.of() : Map.copyOf(params);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        libs = libs == null ? Map.of() : Map.copyOf(libs);
    }
}
