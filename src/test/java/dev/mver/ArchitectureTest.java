package dev.mver;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The structure the folders promise, checked on the compiled classes (every reference counts, imported or written
 * out in full): the core's packages are layers that only ever depend on layers below them, they form no cycle,
 * and the core is a library that knows nothing of the command line.
 */
@AnalyzeClasses(packages = "dev.mver", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    /** Bottom to top; a layer may use its own package and those listed before it. */
    static final List<String> LAYERS = List.of(
            "dev.mver.core.value..",      // values, the exception family, canonical JSON
            "dev.mver.core.io..",         // safe file writes and reads
            "dev.mver.core.env..",        // environment capture, requirements files
            "dev.mver.core.mlflow..",     // MLflow's files read: MLmodel folders, the file store
            "dev.mver.core.store..",      // the content-addressed cache, pointers, manifests
            "dev.mver.core.git..",        // plumbing: refs, locks, the tag writer, the work-tree transaction
            "dev.mver.core.config..",     // settings as records
            "dev.mver.core.workspace..",  // the work tree: artifacts, ignore files, the stat cache
            "dev.mver.core.registry..",   // reads of the registry: versions, payloads, events
            "dev.mver.core.remote..",     // remote kinds and transfers
            "dev.mver.core.policy..",     // rules for the hook, check and register
            "dev.mver.core.report..",     // the static HTML report, from plain values
            "dev.mver.core.ops..",        // the use cases
            "dev.mver.core");             // the facade

    @ArchTest
    static final ArchRule layers_only_depend_on_layers_below_them = layersPointDown();

    @ArchTest
    static final ArchRule core_packages_form_no_cycle = slices().matching("dev.mver.core.(*)..").should()
            .beFreeOfCycles();

    @ArchTest
    static final ArchRule the_core_never_uses_the_command_line = noClasses().that().resideInAPackage("dev.mver.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mver.cli..", "picocli..");

    private static ArchRule layersPointDown() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < LAYERS.size() - 1; i++) {
            List<String> above = LAYERS.subList(i + 1, LAYERS.size());
            rules.add(noClasses().that().resideInAPackage(LAYERS.get(i)).should().dependOnClassesThat()
                    .resideInAnyPackage(above.toArray(String[]::new))
                    .as("the " + LAYERS.get(i) + " layer depends only on the layers below it"));
        }
        CompositeArchRule all = CompositeArchRule.of(rules.get(0));
        for (ArchRule rule : rules.subList(1, rules.size())) {
            all = all.and(rule);
        }
        return all;
    }
}
