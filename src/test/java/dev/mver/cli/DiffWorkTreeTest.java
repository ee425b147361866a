package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mver diff NAME@vX with one version: against the work tree, what registering now would change. */
class DiffWorkTreeTest {
    @TempDir
    Path tmp;

    @Test
    void a_version_against_the_work_tree_shows_changed_bytes_and_an_edited_record() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin", "--metric",
                "auc=0.8").ok();
        assertEquals("[]", new ObjectMapper().readTree(cli.run("diff", "churn@v1.0.0", "--json").ok().out())
                .get("changes").toString(), "nothing changed yet");

        Files2.random(repo.resolve("model.bin"), 1000, 2);
        String record = Files2.read(repo.resolve(".mver/models/churn.json"));
        Files2.write(repo.resolve(".mver/models/churn.json"), record.replace("0.8", "0.85"));
        JsonNode diff = new ObjectMapper().readTree(cli.run("diff", "churn@v1.0.0", "--json").ok().out());
        assertEquals("work tree", diff.get("to").asText());
        List<String> fields = new ArrayList<>();
        diff.get("changes").forEach(c -> fields.add(c.get("field").asText()));
        assertTrue(fields.contains("artifacts") && fields.contains("metrics"), diff.toString());
        assertTrue(cli.run("diff", "churn@v1.0.0").ok().out().contains("work tree"));
    }
}
