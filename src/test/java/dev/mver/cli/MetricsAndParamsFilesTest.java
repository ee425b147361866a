package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** register --metrics-file and --params-file read what training code and DVC write. */
class MetricsAndParamsFilesTest {
    @TempDir
    Path tmp;

    @Test
    void dvc_metrics_json_and_params_yaml_fill_the_record_nested_keys_dotted_and_flags_win() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        Files2.write(repo.resolve("metrics.json"), "{\"auc\": 0.861, \"eval\": {\"f1\": 0.7, \"loss\": 0.31}}");
        Files2.write(repo.resolve("params.yaml"), "train:\n  lr: 0.05\n  epochs: 20\n  layers: [64, 32]\n"
                + "seed: 7\n");
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin", "--metrics-file",
                "metrics.json", "--params-file", "params.yaml", "--metric", "auc=0.9").ok();
        JsonNode record = new ObjectMapper().readTree(git(repo, "show", "churn@v1.0.0:.mver/models/churn.json").ok()
                .out());
        assertEquals(0.9, record.get("metrics").get("auc").asDouble(), "--metric wins over the file");
        assertEquals(0.7, record.get("metrics").get("eval.f1").asDouble());
        assertEquals(0.05, record.get("hyperparameters").get("train.lr").asDouble());
        assertEquals(20, record.get("hyperparameters").get("train.epochs").asInt());
        assertEquals("[64,32]", record.get("hyperparameters").get("train.layers").toString());
        assertEquals(7, record.get("hyperparameters").get("seed").asInt());

        Files2.write(repo.resolve("bad.yaml"), "train: [unclosed\n");
        Cli.Result bad = cli.run("register", "churn", "--version", "1.0.1", "-m", "b", "--params-file", "bad.yaml")
                .fails(2);
        assertTrue(bad.err().contains("params file bad.yaml is not valid YAML"), bad.err());
        Files2.write(repo.resolve("list.json"), "[1, 2]");
        cli.run("register", "churn", "--version", "1.0.1", "-m", "b", "--metrics-file", "list.json").fails(2);
    }
}
