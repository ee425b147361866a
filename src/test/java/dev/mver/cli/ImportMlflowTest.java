package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.MlflowFixtures;
import dev.mver.testing.Repos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mver import mlflow} over a file store in MLflow's own layout: versions become registrations with their
 * runs' params and metrics, stages and aliases become stage events, bytes that are not local are reported, and a
 * second run imports nothing.
 */
class ImportMlflowTest {
    private static final long T = 1_698_920_000_000L; // 2023-11-02T10:13:20Z

    @TempDir
    Path tmp;
    Path repo;
    Cli cli;
    MlflowFixtures.Store store;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        store = new MlflowFixtures.Store(tmp.resolve("mlruns"));
        store.experiment("1", "churn-training", T);
        MlflowFixtures.Run r1 = store.run("1", "a1b2c3d4e5f60718293a4b5c6d7e8f90", T + 1_000, "alice")
                .param("lr", "0.1").param("n_estimators", "100").param("criterion", "gini")
                .metric("auc", T + 2_000, "0.71", 0).metric("auc", T + 3_000, "0.78", 1).metric("auc", T + 4_000, "0.81", 2)
                .metric("val_loss", T + 4_000, "0.4", 0).metric("val_loss", T + 5_000, "nan", 1)
                .sklearnModel("model", 30_000, 1);
        MlflowFixtures.Run r2 = store.run("1", "b1b2c3d4e5f60718293a4b5c6d7e8f90", T + 10_000, "bob")
                .param("lr", "0.05").metric("auc", T + 11_000, "0.83", 0).sklearnModel("model", 30_000, 2);
        MlflowFixtures.Run r3 = store.run("1", "c1b2c3d4e5f60718293a4b5c6d7e8f90", T + 20_000, "alice")
                .param("lr", "0.05").metric("auc", T + 21_000, "0.85", 0).sklearnModel("model", 30_000, 3);
        store.registeredModel("churn", T + 5_000, T + 90_000)
                .version("churn", 1, r1.modelUri("model"), "a1b2c3d4e5f60718293a4b5c6d7e8f90", "Archived", T + 5_000,
                        T + 60_000)
                .version("churn", 2, r2.modelUri("model"), "b1b2c3d4e5f60718293a4b5c6d7e8f90", "Staging", T + 15_000,
                        T + 40_000)
                .version("churn", 3, "runs:/c1b2c3d4e5f60718293a4b5c6d7e8f90/model",
                        "c1b2c3d4e5f60718293a4b5c6d7e8f90", "Production", T + 25_000, T + 50_000)
                .alias("churn", "champion", 3).modelTag("churn", "team", "retention");

        // A model whose first version lives in S3 and whose alias maps to no stage of mver's.
        MlflowFixtures.Run f2 = store.run("0", "d1b2c3d4e5f60718293a4b5c6d7e8f90", T + 30_000, "carol")
                .param("max_depth", "6").sklearnModel("fraud_model", 10_000, 4);
        store.registeredModel("Fraud Detector", T + 31_000, T + 80_000)
                .version("Fraud Detector", 1, "s3://ml-bucket/fraud/v1/model", "e1b2c3d4e5f60718293a4b5c6d7e8f90",
                        "None", T + 29_000, T + 29_000)
                .version("Fraud Detector", 2, f2.modelUri("fraud_model"), "d1b2c3d4e5f60718293a4b5c6d7e8f90", "None",
                        T + 32_000, T + 32_000)
                .alias("Fraud Detector", "champion", 2);

        // A model whose run was in an experiment deleted since: its folder moved to .trash.
        store.experiment("2", "old-experiments", T);
        MlflowFixtures.Run old = store.run("2", "f1b2c3d4e5f60718293a4b5c6d7e8f90", T - 100_000, "dave")
                .param("alpha", "0.5").sklearnModel("model", 5_000, 5).delete(T - 50_000);
        store.registeredModel("legacy", T - 90_000, T - 90_000)
                .version("legacy", 1, old.modelUri("model"), "f1b2c3d4e5f60718293a4b5c6d7e8f90", "None", T - 90_000,
                        T - 90_000);
        store.deleteExperiment("2");
    }

    private JsonNode record(String tag) {
        String model = tag.substring(0, tag.indexOf('@'));
        return Json.parseTree(git(repo, "show", tag + ":.mver/models/" + model + ".json").ok().out()
                .getBytes(StandardCharsets.UTF_8), tag, ExitCode.INTERNAL);
    }

    @Test
    void versions_runs_stages_and_aliases_are_imported_and_a_second_run_imports_nothing() throws Exception {
        Cli.Result r = cli.run("import", "mlflow", store.root().toString()).ok();
        assertTrue(r.out().contains("s3://ml-bucket/fraud/v1/model"), "bytes elsewhere are reported: " + r.out());
        assertTrue(r.out().contains("--stage-map champion=STAGE"), r.out());

        String tags = git(repo, "tag", "-l").ok().out();
        for (String t : List.of("churn@v1.0.0", "churn@v1.1.0", "churn@v1.2.0", "fraud-detector@v1.1.0",
                "legacy@v1.0.0")) {
            assertTrue(tags.contains(t + "\n"), t + " in " + tags);
        }
        assertFalse(tags.contains("fraud-detector@v1.0.0"), "a version whose bytes are not here is not registered");

        JsonNode v1 = record("churn@v1.0.0");
        assertEquals("0.1", v1.path("hyperparameters").path("lr").asText());
        assertTrue(v1.path("hyperparameters").path("n_estimators").isNumber());
        assertEquals("gini", v1.path("hyperparameters").path("criterion").asText());
        assertEquals("0.81", v1.path("metrics").path("auc").asText(), "the value at the highest step");
        assertEquals("NaN", v1.path("metrics").path("val_loss").asText());
        assertEquals("2023-11-02T10:13:21Z", v1.path("training_date").asText());
        JsonNode mlflow = v1.path("extra").path("mlflow");
        assertEquals("churn", mlflow.path("registered_model").asText());
        assertEquals(1, mlflow.path("version").asInt());
        assertEquals("a1b2c3d4e5f60718293a4b5c6d7e8f90", mlflow.path("run_id").asText());
        assertEquals("churn-training", mlflow.path("experiment").asText());
        assertEquals("alice", mlflow.path("user").asText());
        assertEquals("retention", mlflow.path("model_tags").path("team").asText());
        assertEquals("mlflow.sklearn", v1.path("extra").path("mlflow_model").path("models/churn")
                .path("flavors").path("sklearn").path("loader_module").asText());
        assertEquals("1.3.0", v1.path("library_versions").path("scikit-learn").asText());
        assertEquals("dave", record("legacy@v1.0.0").path("extra").path("mlflow").path("user").asText());
        assertTrue(record("legacy@v1.0.0").path("extra").path("mlflow").path("run_deleted").asBoolean());

        JsonNode stages = Json.parseTree(cli.run("stages", "churn", "--json").ok().out()
                .getBytes(StandardCharsets.UTF_8), "stages", ExitCode.INTERNAL);
        assertTrue(stages.toString().contains("\"staging\":\"1.1.0\""), stages.toString());
        assertTrue(stages.toString().contains("\"production\":\"1.2.0\""), stages.toString());
        String history = cli.run("history", "churn").ok().out();
        assertTrue(history.contains("imported from MLflow: churn version 3 stage Production (at 2023-11-02T10:14:10Z)"),
                history);
        assertTrue(cli.run("show", "churn@v1.0.0").ok().out().contains("deprecated"));

        // Every imported version rebuilds byte for byte from its tag.
        for (String[] v : new String[][] {{"churn@v1.0.0", "a1"}, {"churn@v1.1.0", "b1"}, {"churn@v1.2.0", "c1"}}) {
            Path out = tmp.resolve("out-" + v[0].replace('@', '-'));
            cli.run("checkout", v[0], "--to", out.toString()).ok();
            Path source = store.root().resolve("1").resolve(v[1] + "b2c3d4e5f60718293a4b5c6d7e8f90/artifacts/model");
            assertEquals(Files2.sha256(source.resolve("model.pkl")),
                    Files2.sha256(out.resolve("models/churn/model.pkl")), v[0]);
        }

        Cli.Result again = cli.run("import", "mlflow", store.root().toString()).ok();
        assertTrue(again.out().contains("0 imported"), again.out());
        assertEquals(tags, git(repo, "tag", "-l").ok().out());
    }

    @Test
    void a_reimport_after_mlflow_edits_keeps_the_stages_and_hostile_or_clashing_input_is_refused_before_writing()
            throws Exception {
        cli.run("import", "mlflow", store.root().toString(), "--model", "churn").ok();
        // MLflow moves a version's last update for any edit: not a stage move.
        Path meta = store.root().resolve("models/churn/version-2/meta.yaml");
        Files2.write(meta, Files2.read(meta).replace("last_updated_timestamp: " + (T + 40_000),
                "last_updated_timestamp: " + (T + 999_000)).replace("description: ''", "description: better"));
        String tags = git(repo, "tag", "-l").ok().out();
        assertTrue(cli.run("import", "mlflow", store.root().toString(), "--model", "churn").ok().out()
                .contains("0 imported"));
        assertEquals(tags, git(repo, "tag", "-l").ok().out());

        // A source that climbs out of the store is not read; a second model of the same mver name, a bad stage
        // map and an --into holding other files are refused before anything is written.
        Files2.write(tmp.resolve("secret/id_rsa"), "not a model");
        store.registeredModel("escape", T, T).version("escape", 1, "runs:/a1b2c3d4e5f60718293a4b5c6d7e8f90/../../../../"
                + "secret", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "None", T, T);
        Cli.Result r = cli.run("import", "mlflow", store.root().toString(), "--model", "escape").ok();
        assertTrue(r.out().contains("outside the store"), r.out());
        assertEquals("", git(repo, "tag", "-l", "escape@*").ok().out());
        store.registeredModel("Churn", T, T);
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(repo));
        assertTrue(cli.run("import", "mlflow", store.root().toString()).fails(2).err()
                .contains("would both be mver's churn"));
        assertTrue(cli.run("import", "mlflow", store.root().toString(), "--model", "legacy", "--stage-map",
                "Production=prod").fails(2).err().contains("'prod' is not a configured stage"));
        Files2.write(repo.resolve("src/train.py"), "print('mine')\n");
        assertTrue(cli.run("import", "mlflow", store.root().toString(), "--model", "legacy", "--into", "src").fails(2)
                .err().contains("src holds files that are not an mver artifact"));
        Files2.deleteTree(repo.resolve("src"));
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(repo)));
    }

    @Test
    void a_dry_run_prints_the_plan_and_writes_nothing() {
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(repo));
        Cli.Result r = cli.run("import", "mlflow", store.root().toString(), "--dry-run", "--model", "churn",
                "--major-per-version").ok();
        assertTrue(r.out().contains("churn@v3.0.0") && r.out().contains("planned"), r.out());
        assertTrue(r.out().contains("dry run: "), r.out());
        assertTrue(cli.in(tmp).run("-C", "repo", "import", "mlflow", "../mlruns", "--dry-run", "--model", "churn").ok()
                .out().contains("planned"), "a relative store is found from -C's folder, as git resolves paths");
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(repo)));
        assertEquals("", git(repo, "tag", "-l").ok().out());
    }

    @Test
    void a_folder_that_is_not_an_mlflow_store_or_an_unknown_model_is_refused_and_nothing_changes() {
        Path notStore = Files2.mkdirs(tmp.resolve("just-a-folder"));
        Files2.write(notStore.resolve("model.pkl"), "x");
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(repo));
        Cli.Result r = cli.run("import", "mlflow", notStore.toString()).fails(2);
        assertTrue(r.err().contains("is not an MLflow file store"), r.err());
        r = cli.run("import", "mlflow", store.root().toString(), "--model", "nope").fails(2);
        assertTrue(r.err().contains("no registered model 'nope'") && r.err().contains("churn"), r.err());
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(repo)));
    }
}
