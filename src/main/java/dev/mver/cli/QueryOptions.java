package dev.mver.cli;

import dev.mver.core.registry.ModelQueries;
import dev.mver.core.value.RecordFilter;
import dev.mver.core.value.StageName;
import java.util.List;
import picocli.CommandLine.Option;

/** The filters {@code list} and {@code log} share: conditions on the record, a stage held, deprecation. */
final class QueryOptions {
    @Option(names = "--where", paramLabel = "FIELD=VALUE", description = "Only versions whose record has it "
            + "(repeatable, all must hold): dataset_snapshot_id=snap-1, 'metrics.auc>=0.85', "
            + "hyperparameters.max_depth=6; = != >= <= > <.")
    List<String> where;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only versions in this stage now.")
    String stage;

    @Option(names = "--deprecated", description = "Only deprecated versions.")
    boolean deprecated;

    ModelQueries.VersionQuery query() {
        return new ModelQueries.VersionQuery(where == null ? List.of() : where.stream().map(RecordFilter::parse)
                .toList(), stage == null ? null : StageName.of(stage), deprecated);
    }
}
