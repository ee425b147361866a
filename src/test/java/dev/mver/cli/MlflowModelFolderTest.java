package dev.mver.cli;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registered MLflow model folder's record says what its MLmodel file and environment files say. */
class MlflowModelFolderTest {
    @TempDir
    Path tmp;

    private JsonNode record(Path repo, String model) throws Exception {
        return Json.parseTree(Files.readAllBytes(repo.resolve(".mver/models/" + model + ".json")), "record",
                ExitCode.INTERNAL);
    }

    @Test
    void flavors_mlflow_version_signature_example_and_requirements_are_recorded() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        MlflowFixtures.sklearnModel(repo.resolve("models/churn"), 20_000, 1, "1.3.0", "4f2a7c1d9e8b4a6f8c3d2e1f0a9b8c7d");
        cli.run("register", "churn", "--version", "1.0.0", "-m", "first", "--artifact", "models/churn").ok();

        JsonNode r = record(repo, "churn");
        JsonNode m = r.path("extra").path("mlflow_model").path("models/churn");
        assertEquals("mlflow.sklearn", m.path("flavors").path("sklearn").path("loader_module").asText(), m.toString());
        assertEquals("1.3.0", m.path("flavors").path("sklearn").path("version").asText());
        assertEquals("mlflow.sklearn", m.path("flavors").path("python_function").path("loader_module").asText());
        assertEquals("cloudpickle", m.path("flavors").path("sklearn").path("config").path("serialization_format").asText());
        assertEquals("2.8.0", m.path("mlflow_version").asText());
        assertEquals("tenure", m.path("signature").path("inputs").path(0).path("name").asText(), "JSON, not text");
        assertEquals("long", m.path("signature").path("outputs").path(0).path("type").asText());
        assertTrue(m.path("signature").path("params").isNull());
        assertEquals("models/churn/input_example.json", m.path("input_example").asText());
        assertEquals("4f2a7c1d9e8b4a6f8c3d2e1f0a9b8c7d", m.path("run_id").asText());
        assertEquals("1.3.0", r.path("library_versions").path("scikit-learn").asText());
        assertEquals("2.8.0", r.path("library_versions").path("mlflow").asText());

        // New bytes with a newer scikit-learn: the details follow the bytes, an explicit --lib still wins.
        MlflowFixtures.sklearnModel(repo.resolve("models/churn"), 20_000, 2, "1.4.2", "9e8b4a6f8c3d2e1f0a9b8c7d4f2a7c1d");
        cli.run("register", "churn", "--bump", "minor", "-m", "retrained", "--lib", "mlflow=2.9.0").ok();
        r = record(repo, "churn");
        m = r.path("extra").path("mlflow_model").path("models/churn");
        assertEquals("1.4.2", m.path("flavors").path("sklearn").path("version").asText());
        assertEquals("1.4.2", r.path("library_versions").path("scikit-learn").asText());
        assertEquals("2.9.0", r.path("library_versions").path("mlflow").asText());
        assertEquals("9e8b4a6f8c3d2e1f0a9b8c7d4f2a7c1d", m.path("run_id").asText());
    }

    @Test
    void without_requirements_txt_the_libraries_come_from_python_env_or_conda() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Path model = MlflowFixtures.sklearnModel(repo.resolve("m"), 5_000, 3, "1.3.0", "aa");
        Files.delete(model.resolve("requirements.txt"));
        Files2.write(model.resolve("python_env.yaml"), "build_dependencies:\n- pip==23.3.1\ndependencies:\n"
                + "- mlflow==2.8.0\n- scikit-learn==1.3.0\npython: 3.10.12\n");
        cli.run("register", "a", "--version", "1.0.0", "-m", "env", "--artifact", "m").ok();
        assertEquals("1.3.0", record(repo, "a").path("library_versions").path("scikit-learn").asText());

        Files.delete(model.resolve("python_env.yaml"));
        cli.run("register", "b", "--version", "1.0.0", "-m", "conda", "--artifact", "m").ok();
        JsonNode libs = record(repo, "b").path("library_versions");
        assertEquals("1.3.0", libs.path("scikit-learn").asText(), libs.toString());
        assertEquals("2.2.1", libs.path("cloudpickle").asText());
        assertFalse(libs.has("python"), "the interpreter is the environment's, not a library");
    }

    @Test
    void a_folder_whose_mlmodel_is_not_yaml_is_refused_with_its_name_and_nothing_is_written() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Path model = MlflowFixtures.sklearnModel(repo.resolve("m"), 5_000, 4, "1.3.0", "aa");
        Files2.write(model.resolve("MLmodel"), "flavors: [unclosed\n");
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(repo));
        Cli.Result r = cli.run("register", "a", "--version", "1.0.0", "-m", "bad", "--artifact", "m").fails(2);
        assertTrue(r.err().contains("m/MLmodel is not valid YAML"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(repo)));
    }
}
