package dev.mver.core.ops;

import dev.mver.core.value.Bump;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code mver register} was asked to record: which version, why, which artifacts (none: the previous
 * version's), the metadata fields given, and whether to skip the policy ({@code force} skips the bump size and
 * required fields, never the version order).
 */
public record RegisterRequest(ModelName model, VersionChoice version, String reason, List<String> artifacts,
                              MetadataChanges changes, boolean force) {
    public RegisterRequest {
        if (reason == null || reason.isBlank()) {
            throw MverException.usage("a reason is required: -m \"why this version exists\"");
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
        changes = changes == null ? MetadataChanges.NONE : changes;
    }

    /**
     * The version asked for: exactly this one, the latest bumped by {@code bump}, or ({@code auto}) the latest
     * bumped by what the change requires.
     */
    public record VersionChoice(SemVer exact, Bump bump, boolean auto) {
        public VersionChoice {
            if ((exact != null ? 1 : 0) + (bump != null ? 1 : 0) + (auto ? 1 : 0) != 1) {
                throw MverException.usage("give exactly one of --version X.Y.Z or --bump major|minor|patch|auto");
            }
        }

        public static VersionChoice exactly(String version) {
            return new VersionChoice(SemVer.parse(version), null, false);
        }

        public static VersionChoice bumped(Bump bump) {
            return new VersionChoice(null, bump, false);
        }

        public static VersionChoice automatic() {
            return new VersionChoice(null, null, true);
        }

        /** {@code --version X}, {@code --bump major|minor|patch|auto}: whichever one the user gave. */
        public static VersionChoice of(String version, String bump) {
            if (version != null && bump != null || version == null && bump == null) {
                return new VersionChoice(null, null, false); // refused by the constructor, with the message
            }
            return version != null ? exactly(version) : "auto".equals(bump) ? automatic() : bumped(Bump.parse(bump));
        }

        /** Whether the version is computed, so a registration that lost a race may take the next one. */
        public boolean computed() {
            return exact == null;
        }
    }

    /**
     * The metadata fields given for this version; null (or empty) means "not given": the value is inherited from
     * the previous version (metrics only while the artifacts are unchanged) or taken from the metadata file.
     */
    /**
     * The fields given; {@code python} is the interpreter whose environment is recorded (null: mver's default);
     * {@code metricsFile} and {@code paramsFile} hold metrics and hyperparameters (JSON, or YAML), under the flags.
     */
    public record MetadataChanges(String dataset, String featureSet, List<String> features, String architecture,
                                  Map<String, String> params, Map<String, String> metrics, Map<String, String> libs,
                                  String trainingDate, Path requirements, Path metadataFile, String python,
                                  Path metricsFile, Path paramsFile) {
        public static final MetadataChanges NONE = new MetadataChanges(null, null, null, null, null, null, null, null,
                null, null, null, null, null);

        public MetadataChanges {
            params = params == null ? Map.of() : Map.copyOf(params);
            metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
            libs = libs == null ? Map.of() : Map.copyOf(libs);
        }
    }
}
