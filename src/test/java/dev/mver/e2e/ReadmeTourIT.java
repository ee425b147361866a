package dev.mver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.UserShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's tour, run verbatim by a shell with the launcher on the PATH as {@code mver}, in a fresh project that
 * holds the files the tour names: an example in the README that fails is a failing build.
 */
class ReadmeTourIT {
    /** The one line of the tour that stands for work mver does not do, and what this test does there. */
    private static final String RETRAIN = "# ...retrain...";

    @TempDir
    Path tmp;

    /** The {@code sh} block that follows {@code heading} in the README. */
    static String block(String readme, String heading) {
        int at = readme.indexOf("\n" + heading + "\n");
        assertTrue(at >= 0, "the README has no section " + heading);
        int start = readme.indexOf("```sh\n", at);
        int end = readme.indexOf("\n```", start + 6);
        return readme.substring(start + 6, end + 1);
    }

    @Test
    void the_tour_runs_verbatim_and_rebuilds_the_first_version_byte_for_byte() throws IOException {
        String tour = block(Files.readString(Path.of("README.md")), "## A tour");
        assertTrue(tour.contains("\n" + RETRAIN + "\n"), "the tour's retrain step moved:\n" + tour);
        Path project = Files.createDirectories(tmp.resolve("project"));
        String v1 = Files2.sha256(Files2.random(project.resolve("models/churn/model.pkl"), 300_000, 1));
        Files2.write(project.resolve("requirements.txt"), "numpy==1.26.4\nscikit-learn==1.4.2\n");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("mver"), MverProcess.launcher());
        String script = "set -e\n" + tour.replace(RETRAIN, "head -c 300000 /dev/urandom > models/churn/model.pkl");

        Map<String, String> env = UserShell.env(tmp, bin);
        GitBinary.Result r = GitBinary.run(project, env, List.of("sh", "-c", script));
        assertEquals(0, r.code(), "the tour failed:\n" + r.out() + r.err());
        assertEquals(v1, Files2.sha256(project.resolve("release/models/churn/model.pkl")),
                "checkout --to rebuilt v1.0.0");
        assertEquals(v1, Files2.sha256(project.resolve("models/churn/model.pkl")), "checkout put v1.0.0 back");
    }
}
