package dev.mver.core.policy;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.MetadataField;
import dev.mver.core.value.SemVer;
import java.util.ArrayList;
import java.util.List;

/**
 * What a change between two versions' metadata requires: major when the architecture, feature set or features
 * changed; minor when the model was retrained (new dataset, training date or artifact bytes); patch for anything
 * else (hyperparameters, metrics, libraries, metadata corrections). With the artifacts' bytes unchanged nothing was
 * retrained or rebuilt, whatever the record now says: any change is a correction of the record, a patch.
 */
public final class BumpRules {
    private BumpRules() {
    }

    @JsonPropertyOrder({"bump", "reasons"})
    public record Requirement(Bump bump, List<String> reasons) {
    }

    public static Requirement required(Metadata previous, Metadata next) {
        boolean sameBytes = previous.artifacts().size() == next.artifacts().size() && next.artifacts().stream()
                .allMatch(a -> previous.artifacts().stream().anyMatch(a::sameContent));
        for (Bump bump : Bump.values()) {
            List<String> reasons = new ArrayList<>();
            for (MetadataField field : MetadataField.values()) {
                if (field.requires() == bump && field.differs(previous, next)) {
                    reasons.add(field.changeReason(previous, next));
                }
            }
            if (!reasons.isEmpty()) {
                return sameBytes && bump != Bump.PATCH ? new Requirement(Bump.PATCH, List.of("metadata correction "
                        + "(the artifacts are unchanged): " + String.join("; ", reasons)))
                        : new Requirement(bump, reasons);
            }
        }
        return new Requirement(Bump.PATCH, List.of("metadata correction"));
    }

    /**
     * The bump that took {@code from} to {@code to}: the most significant number that grew. From a pre-release, it
     * is measured from the last release, as npm and cargo do: 2.0.0-rc.1 leads to a major release, so 2.0.0 (or
     * 2.0.0-rc.2) after it is a major bump, and 1.3.0-rc.1 to 1.3.0 a minor one.
     */
    public static Bump actual(SemVer from, SemVer to) {
        if (from.isPreRelease()) {
            Bump implied = from.minor().signum() == 0 && from.patch().signum() == 0 ? Bump.MAJOR
                    : from.patch().signum() == 0 ? Bump.MINOR : Bump.PATCH;
            Bump beyond = actualBetweenReleases(from.release(), to);
            return beyond.ordinal() < implied.ordinal() ? beyond : implied;
        }
        return actualBetweenReleases(from, to);
    }

    private static Bump actualBetweenReleases(SemVer from, SemVer to) {
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
}
