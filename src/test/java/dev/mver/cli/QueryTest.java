package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log} and {@code list} answer questions about the records: which versions used a dataset, scored above. */
class QueryTest {
    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void registry() {
        Path repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("churn.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "churn.bin", "--dataset",
                "snap-1", "--feature-set", "fs-1", "--metric", "auc=0.8", "--param", "max_depth=6").ok();
        Files2.random(repo.resolve("churn.bin"), 1000, 2);
        cli.run("register", "churn", "--version", "1.1.0", "-m", "retrained", "--dataset", "snap-2", "--metric",
                "auc=0.9", "--param", "max_depth=8").ok();
        Files2.random(repo.resolve("fraud.bin"), 1000, 3);
        cli.run("register", "fraud", "--version", "1.0.0", "-m", "first", "--artifact", "fraud.bin", "--dataset",
                "snap-1", "--feature-set", "fs-3", "--metric", "auc=0.7").ok();
        cli.run("promote", "churn@v1.0.0", "production", "-m", "ship").ok();
        cli.run("deprecate", "churn@v1.1.0", "-m", "leaky").ok();
    }

    private List<String> versions(String... args) {
        return versions(cli, args);
    }

    private static List<String> versions(Cli cli, String... args) {
        JsonNode log = Json.parseTree(cli.run(args).ok().out().getBytes(StandardCharsets.UTF_8), "log",
                ExitCode.INTERNAL);
        List<String> out = new ArrayList<>();
        log.forEach(e -> out.add(e.path("model").asText() + "@" + e.path("version").asText()));
        return out;
    }

    @Test
    void versions_are_found_by_dataset_across_models_and_by_metrics_params_stage_and_deprecation() {
        assertEquals(List.of("fraud@1.0.0", "churn@1.0.0"),
                versions("log", "--where", "dataset_snapshot_id=snap-1", "--json"), "reverse lineage in one call");
        assertEquals(List.of("churn@1.1.0"), versions("log", "churn", "--where", "metrics.auc>=0.85", "--json"));
        assertEquals(List.of("churn@1.0.0"), versions("log", "churn", "--where", "hyperparameters.max_depth=6",
                "--json"));
        assertEquals(List.of("churn@1.0.0"), versions("log", "--stage", "production", "--json"));
        assertEquals(List.of("churn@1.1.0"), versions("log", "--deprecated", "--json"));
        assertEquals(List.of("churn@1.0.0"), versions("log", "--where", "dataset_snapshot_id=snap-1", "--stage",
                "production", "--json"));
        assertEquals(List.of(), versions("log", "--where", "metrics.auc>1", "--where", "dataset_snapshot_id=snap-1",
                "--json"));
        assertEquals(List.of("churn@1.0.0", "churn@1.1.0"), versions("log", "churn", "--reverse", "--where",
                "metrics.auc!=0.7", "--json"));

        String list = cli.run("list", "--where", "feature_set_version=fs-3").ok().out();
        assertTrue(list.contains("fraud") && !list.contains("churn"), list);
        assertTrue(cli.run("list", "--stage", "production").ok().out().contains("churn"));
        assertTrue(cli.run("list", "--where", "metrics.auc>5").ok().err().contains("no model matches"));
    }

    @Test
    void a_model_whose_record_cannot_be_read_matches_nothing_and_fails_no_query() throws Exception {
        Path repo = tmp.resolve("repo");
        java.nio.file.Files.createDirectories(repo.resolve(".mver/models"));
        java.nio.file.Files.writeString(repo.resolve(".mver/models/g.json"), "{broken");
        GitBinary.git(repo, "add", ".mver/models/g.json").ok();
        GitBinary.git(repo, "commit", "-q", "-m", "another tool's model").ok();
        GitBinary.git(repo, "tag", "-a", "g@v0.1.0", "-m", "gto").ok();
        assertEquals(List.of("fraud@1.0.0", "churn@1.1.0", "churn@1.0.0"), sorted(versions("log", "--where",
                "metrics.auc>0", "--json")), "answered from the cache");
        assertEquals(List.of("fraud@1.0.0", "churn@1.1.0", "churn@1.0.0"), sorted(versions("log", "--where",
                "training_date>0", "--json")), "answered from the records");
        String list = cli.run("list", "--where", "metrics.auc>0").ok().out();
        assertTrue(list.contains("churn") && list.contains("fraud") && !list.contains("g "), list);
    }

    private static List<String> sorted(List<String> versions) {
        return versions.stream().sorted(java.util.Comparator.reverseOrder()).toList();
    }

    @Test
    void a_record_not_fetched_yet_in_a_partial_clone_is_read_once_it_arrives() throws Exception {
        Path origin = tmp.resolve("repo");
        GitBinary.git(origin, "config", "uploadpack.allowFilter", "true").ok();
        Path clone = tmp.resolve("partial");
        GitBinary.git(tmp, "clone", "-q", "--filter=blob:none", origin.toUri().toString(), clone.toString()).ok();
        Cli partial = new Cli(clone);
        assertEquals(List.of("churn@1.1.0"), versions(partial, "log", "churn", "--where", "metrics.auc>0", "--json"),
                "only the checked-out version's record is here");
        // git fetches a missing blob on demand; mver reads it the next time instead of remembering it as absent.
        GitBinary.git(clone, "show", "churn@v1.0.0:.mver/models/churn.json").ok();
        assertEquals(List.of("churn@1.1.0", "churn@1.0.0"), versions(partial, "log", "churn", "--where",
                "metrics.auc>0", "--json"));
    }

    @Test
    void a_malformed_condition_is_a_usage_error_on_one_line() {
        Cli.Result r = cli.run("log", "--where", "auc").fails(2);
        assertTrue(r.err().contains("--where takes FIELD=VALUE") && r.err().lines().count() == 1, r.err());
    }
}
