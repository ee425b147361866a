package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mver metrics NAME: versions as rows, metrics as columns, as a table, JSON or CSV. */
class MetricsCommandTest {
    @TempDir
    Path tmp;

    Cli cli;

    @BeforeEach
    void setUp() {
        Path repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin", "--metric",
                "auc=0.861", "--metric", "f1=0.7").ok();
        Files2.random(repo.resolve("model.bin"), 1000, 2);
        cli.run("register", "churn", "--version", "1.1.0", "-m", "b", "--metric", "auc=0.874", "--metric",
                "note=a, \"quoted\" one").ok();
    }

    @Test
    void a_table_with_one_row_per_version_newest_first_and_a_column_per_metric() {
        String[] lines = cli.run("metrics", "churn").ok().out().split("\n");
        assertTrue(lines[0].matches("VERSION\\s+DATE\\s+auc\\s+f1\\s+note\\s*"), lines[0]);
        assertTrue(lines[1].matches("v1\\.1\\.0\\s+\\d{4}-\\d\\d-\\d\\d\\s+0\\.874\\s+-\\s+a, \"quoted\" one\\s*"),
                lines[1]);
        assertTrue(lines[2].matches("v1\\.0\\.0\\s+\\S+\\s+0\\.861\\s+0\\.7\\s+-\\s*"), lines[2]);
    }

    @Test
    void json_and_csv_carry_the_same_values() throws Exception {
        JsonNode j = new ObjectMapper().readTree(cli.run("metrics", "churn", "--json").ok().out());
        assertEquals("[\"auc\",\"f1\",\"note\"]", j.get("columns").toString());
        assertEquals(0.874, j.get("versions").get(0).get("metrics").get("auc").asDouble());
        assertEquals("1.0.0", j.get("versions").get(1).get("version").asText());
        String[] csv = cli.run("metrics", "churn", "--csv").ok().out().split("\r\n");
        assertEquals("version,date,auc,f1,note", csv[0]);
        assertTrue(csv[1].startsWith("1.1.0,") && csv[1].endsWith(",0.874,,\"a, \"\"quoted\"\" one\""), csv[1]);
        cli.run("metrics", "churn", "--csv", "--json").fails(2);
        cli.run("metrics", "nope").fails(4);
    }
}
