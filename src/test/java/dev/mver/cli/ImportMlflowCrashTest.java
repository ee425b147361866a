package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.io.CrashPoints;
import dev.mver.testing.Cli;
import dev.mver.testing.MlflowFixtures;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * An import crashed at its k-th step, for every k, then run again: the registry verifies after the crash, and the
 * second run ends where an uncrashed import ends (same tags, same stages), after which a third imports nothing.
 * The crash hook is process-wide, hence {@link Isolated}.
 */
@Isolated
class ImportMlflowCrashTest {
    private static final long T = 1_698_920_000_000L;

    @TempDir
    Path tmp;

    private MlflowFixtures.Store store() {
        MlflowFixtures.Store store = new MlflowFixtures.Store(tmp.resolve("mlruns"));
        MlflowFixtures.Run r1 = store.run("0", "a1b2c3d4e5f60718293a4b5c6d7e8f90", T, "alice")
                .param("lr", "0.1").metric("auc", T + 1, "0.8", 0).sklearnModel("model", 20_000, 1);
        MlflowFixtures.Run r2 = store.run("0", "b1b2c3d4e5f60718293a4b5c6d7e8f90", T + 10, "bob")
                .param("lr", "0.2").metric("auc", T + 11, "0.9", 0).sklearnModel("model", 20_000, 2);
        store.registeredModel("churn", T, T + 100)
                .version("churn", 1, r1.modelUri("model"), "a1b2c3d4e5f60718293a4b5c6d7e8f90", "Archived", T, T + 50)
                .version("churn", 2, r2.modelUri("model"), "b1b2c3d4e5f60718293a4b5c6d7e8f90", "Production", T + 20,
                        T + 60);
        return store;
    }

    /** The tags, and which version each stage holds and which are deprecated, as the user sees them. */
    private static String state(Cli cli, Path repo) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"(dev|staging|production)\": \"([^\"]+)\"")
                .matcher(cli.run("stages", "churn", "--json").ok().out());
        StringBuilder stages = new StringBuilder();
        while (m.find()) {
            stages.append(m.group(1)).append('=').append(m.group(2)).append(' ');
        }
        return git(repo, "tag", "-l", "churn@*").ok().out() + stages
                + cli.run("show", "churn@v1.0.0").ok().out().contains("deprecated");
    }

    @Test
    void an_import_crashed_at_any_step_is_finished_by_running_it_again() throws Exception {
        MlflowFixtures.Store store = store();
        Path reference = Repos.relaxed(tmp, "reference");
        Cli ref = new Cli(reference);
        ref.run("import", "mlflow", store.root().toString()).ok();
        String expected = state(ref, reference);

        List<String> steps = new ArrayList<>();
        for (int k = 1; k < 300; k++) {
            Path repo = Repos.relaxed(tmp, "crash" + k);
            Cli cli = new Cli(repo);
            AtomicInteger reached = new AtomicInteger();
            List<String> at = new ArrayList<>();
            final int target = k;
            Cli.Result result = null;
            try (AutoCloseable hook = CrashPoints.install(step -> {
                if (reached.incrementAndGet() == target) {
                    synchronized (at) {
                        at.add(step);
                    }
                    throw new CrashAtEveryStepTest.SimulatedCrash(step);
                }
            })) {
                result = cli.run("import", "mlflow", store.root().toString());
            } catch (CrashAtEveryStepTest.SimulatedCrash e) {
                // the run died at step k
            }
            if (at.isEmpty()) {
                assertEquals(0, result.code(), "without a crash: " + result.err());
                assertTrue(k > 10, "the import crossed only " + (k - 1) + " steps: " + steps);
                return;
            }
            steps.add(at.get(0));
            String when = "crashed at step " + k + " (" + at.get(0) + ")";
            Cli.Result verify = cli.run("verify");
            assertEquals(0, verify.code(), when + ": " + verify.out() + verify.err());
            cli.run("import", "mlflow", store.root().toString()).ok();
            assertEquals(expected, state(cli, repo), when);
            assertTrue(cli.run("import", "mlflow", store.root().toString()).ok().out().contains("0 imported"), when);
        }
        throw new AssertionError("the import never finished");
    }
}
