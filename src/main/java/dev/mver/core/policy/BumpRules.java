package dev.mver.core.policy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.SemVer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * What a change between two versions' metadata requires: major when the architecture, feature set or features
 * changed; minor when the model was retrained (new dataset, training date or artifact bytes); patch for anything
 * else (hyperparameters, metrics, libraries, metadata corrections).
 */
public final class BumpRules {
    private BumpRules() {
    }

    @JsonPropertyOrder({"bump", "reasons"})
    public record Requirement(Bump bump, List<String> reasons) {
    }

    public static Requirement required(Metadata previous, Metadata next) {
        List<String> major = new ArrayList<>();
        if (!Objects.equals(previous.architecture(), next.architecture())) {
            major.add("architecture changed (" + previous.architecture() + " -> " + next.architecture() + ")");
        }
        if (!Objects.equals(previous.featureSetVersion(), next.featureSetVersion())) {
            major.add("feature set changed (" + previous.featureSetVersion() + " -> " + next.featureSetVersion() + ")");
        }
        if (!previous.features().equals(next.features())) {
            major.add("features changed");
        }
        if (!major.isEmpty()) {
            return new Requirement(Bump.MAJOR, major);
        }
        List<String> minor = new ArrayList<>();
        if (!Objects.equals(previous.datasetSnapshotId(), next.datasetSnapshotId())) {
            minor.add("dataset changed (" + previous.datasetSnapshotId() + " -> " + next.datasetSnapshotId() + ")");
        }
        if (!new HashSet<>(paths(previous)).equals(new HashSet<>(paths(next)))
                || !new HashSet<>(previous.artifacts()).equals(new HashSet<>(next.artifacts()))) {
            minor.add("artifacts changed (retrained)");
        }
        if (!Objects.equals(previous.trainingDate(), next.trainingDate())) {
            minor.add("training date changed");
        }
        if (!minor.isEmpty()) {
            return new Requirement(Bump.MINOR, minor);
        }
        List<String> patch = new ArrayList<>();
        if (!previous.hyperparameters().equals(next.hyperparameters())) {
            patch.add("hyperparameters changed");
        }
        if (!previous.libraryVersions().equals(next.libraryVersions())) {
            patch.add("library versions changed");
        }
        if (patch.isEmpty()) {
            patch.add("metadata correction");
        }
        return new Requirement(Bump.PATCH, patch);
    }

    /** The bump that took {@code from} to {@code to}: the most significant number that grew. */
    public static Bump actual(SemVer from, SemVer to) {
        if (to.major().compareTo(from.major()) > 0) {
            return Bump.MAJOR;
        }
        if (to.minor().compareTo(from.minor()) > 0) {
            return Bump.MINOR;
        }
        return Bump.PATCH;
    }

    /** Whether {@code actual} is at least as big as {@code required} (major counts as more than minor). */
    public static boolean suffices(Bump actual, Bump required) {
        return actual.ordinal() <= required.ordinal();
    }

    private static List<String> paths(Metadata m) {
        return m.artifacts().stream().map(ArtifactRef::path).map(Object::toString).toList();
    }
}
