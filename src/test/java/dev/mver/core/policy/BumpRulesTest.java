package dev.mver.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.Bump;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** What a change between two records requires of the version number. */
class BumpRulesTest {
    static Metadata base() {
        Metadata.Builder b = new Metadata.Builder();
        b.modelName = ModelName.of("churn");
        b.version = "1.0.0";
        b.datasetSnapshotId = "snap-1";
        b.featureSetVersion = "fs-1";
        b.architecture = "xgboost";
        b.trainingDate = "2026-11-01";
        b.features = List.of("tenure", "charges");
        b.hyperparameters.put("depth", IntNode.valueOf(6));
        b.libraryVersions.put("xgboost", "2.0.3");
        b.artifacts = List.of(new ArtifactRef(RepoPath.of("model.bin"), ArtifactType.FILE, Sha256.hash(new byte[] {1}),
                1));
        return b.build();
    }

    static Metadata changed(Consumer<Metadata.Builder> change) {
        Metadata.Builder b = base().toBuilder();
        b.version = "1.0.1";
        change.accept(b);
        return b.build();
    }

    static BumpRules.Requirement required(Consumer<Metadata.Builder> change) {
        return BumpRules.required(base(), changed(change));
    }

    /** The change, with new artifact bytes too (a model that was retrained or rebuilt). */
    static BumpRules.Requirement retrained(Consumer<Metadata.Builder> change) {
        return required(b -> {
            b.artifacts = List.of(new ArtifactRef(RepoPath.of("model.bin"), ArtifactType.FILE,
                    Sha256.hash(new byte[] {9}), 1));
            change.accept(b);
        });
    }

    @Test
    void with_the_bytes_unchanged_any_change_is_a_correction_of_the_record() {
        assertEquals(new BumpRules.Requirement(Bump.PATCH, List.of("metadata correction (the artifacts are "
                + "unchanged): architecture changed (xgboost -> lightgbm)")), required(b -> b.architecture = "lightgbm"));
        assertEquals(Bump.PATCH, required(b -> b.datasetSnapshotId = "snap-2").bump());
        assertEquals(List.of("hyperparameters changed"), required(b -> b.hyperparameters.put("depth",
                IntNode.valueOf(8))).reasons());
    }

    @Test
    void architecture_feature_set_or_features_need_a_major_bump() {
        assertEquals(new BumpRules.Requirement(Bump.MAJOR, List.of("architecture changed (xgboost -> lightgbm)")),
                retrained(b -> b.architecture = "lightgbm"));
        assertEquals(Bump.MAJOR, retrained(b -> b.featureSetVersion = "fs-2").bump());
        assertEquals(List.of("features changed"), retrained(b -> b.features = List.of("tenure")).reasons());
        assertEquals(Bump.MAJOR, retrained(b -> b.features = List.of("charges", "tenure")).bump(), "order counts");
    }

    @Test
    void new_data_new_bytes_or_a_new_training_date_need_a_minor_bump() {
        BumpRules.Requirement data = retrained(b -> b.datasetSnapshotId = "snap-2");
        assertEquals(Bump.MINOR, data.bump());
        assertTrue(data.reasons().contains("dataset changed (snap-1 -> snap-2)"), data.reasons().toString());
        assertEquals(List.of("artifacts changed (retrained)"), required(b -> b.artifacts = List.of(new ArtifactRef(
                RepoPath.of("model.bin"), ArtifactType.FILE, Sha256.hash(new byte[] {2}), 1))).reasons());
        assertTrue(retrained(b -> b.trainingDate = "2026-11-02").reasons().contains("training date changed"));
    }

    @Test
    void tuning_and_libraries_need_a_patch_and_anything_else_is_a_correction() {
        assertEquals(new BumpRules.Requirement(Bump.PATCH, List.of("hyperparameters changed")),
                required(b -> b.hyperparameters.put("depth", IntNode.valueOf(8))));
        assertEquals(List.of("library versions changed"), required(b -> b.libraryVersions.put("xgboost", "2.1.0"))
                .reasons());
        assertEquals(new BumpRules.Requirement(Bump.PATCH, List.of("metadata correction")),
                required(b -> b.metrics.put("auc", IntNode.valueOf(1))));
    }

    @Test
    void the_biggest_change_decides_and_lists_only_its_own_reasons() {
        BumpRules.Requirement r = retrained(b -> {
            b.architecture = "lightgbm";
            b.datasetSnapshotId = "snap-2";
            b.hyperparameters.clear();
        });
        assertEquals(Bump.MAJOR, r.bump());
        assertEquals(1, r.reasons().size(), r.reasons().toString());
    }

    @Test
    void the_actual_bump_is_the_most_significant_number_that_grew() {
        assertEquals(Bump.MAJOR, BumpRules.actual(SemVer.parse("1.9.9"), SemVer.parse("2.0.0")));
        assertEquals(Bump.MINOR, BumpRules.actual(SemVer.parse("1.0.9"), SemVer.parse("1.1.0")));
        assertEquals(Bump.PATCH, BumpRules.actual(SemVer.parse("1.0.0"), SemVer.parse("1.0.1-rc.1")));
        assertTrue(BumpRules.suffices(Bump.MAJOR, Bump.MINOR));
        assertTrue(BumpRules.suffices(Bump.MINOR, Bump.MINOR));
        assertFalse(BumpRules.suffices(Bump.PATCH, Bump.MINOR));
    }
}
