package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** register says the bump --bump auto chose and why, and the metrics it did not carry over. */
class RegisterSaysWhatItDecidedTest {
    @TempDir
    Path tmp;

    @Test
    void bump_auto_names_its_bump_and_reasons_and_dropped_metrics_are_announced() {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        Cli.Result first = cli.run("register", "churn", "--bump", "auto", "-m", "a", "--artifact", "model.bin",
                "--metric", "auc=0.8", "--metric", "f1=0.6").ok();
        assertTrue(first.err().contains("mver: --bump auto chose 1.0.0 (the first version)"), first.err());

        Cli.Result patch = cli.run("register", "churn", "--bump", "auto", "-m", "b", "--param", "depth=4").ok();
        assertTrue(patch.err().contains("--bump auto chose patch (v1.0.0 -> v1.0.1): "), patch.err());
        assertFalse(patch.err().contains("not carried over"), "same bytes: the metrics stay");

        Files2.random(repo.resolve("model.bin"), 1000, 2);
        Cli.Result minor = cli.run("register", "churn", "--bump", "auto", "-m", "c", "--metric", "auc=0.82").ok();
        assertTrue(minor.err().contains("--bump auto chose minor (v1.0.1 -> v1.1.0): ")
                && minor.err().contains("artifacts changed"), minor.err());
        assertTrue(minor.err().contains("the metrics of v1.0.1 (f1) are not carried over"), minor.err());
    }

    @Test
    void a_model_named_as_another_but_for_case_is_refused_and_a_longer_name_is_not() {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        Files2.random(repo.resolve("model.bin"), 1000, 2);
        Cli.Result twin = cli.run("register", "Churn", "--version", "1.0.0", "-m", "b", "--artifact", "model.bin")
                .fails(5);
        assertTrue(twin.err().contains("model 'Churn' differs from the existing model 'churn' only in case"),
                twin.err());
        cli.run("register", "churn2", "--version", "1.0.0", "-m", "c", "--artifact", "model.bin").ok();
    }
}
