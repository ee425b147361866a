package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpreter whose packages a record holds is the one that trained the model: --python, MVER_PYTHON, the
 * active virtual or conda environment, then python3 on the PATH, and the record says which and why.
 */
class PythonChoiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        Files2.random(repo.resolve("model.bin"), 5000, 1);
    }

    /** An interpreter at {@code file} that answers mver's probe with this version and one package. */
    static Path python(Path file, String version, String pkg, String pkgVersion) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\necho '{\"version\": \"" + version + "\", \"packages\": {\"" + pkg
                + "\": \"" + pkgVersion + "\"}}'\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    Cli cli(String... pairs) {
        Map<String, String> env = new HashMap<>(Cli.testEnv()); // python3 on the PATH: the stub, numpy 2.1.3
        env.remove("VIRTUAL_ENV");
        env.remove("CONDA_PREFIX");
        env.remove("MVER_PYTHON");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return new Cli(repo).withEnv(env);
    }

    JsonNode runtimes(String version) throws Exception {
        String record = git(repo, "show", "m@v" + version + ":.mver/models/m.json").ok().out();
        return JSON.readTree(record).get("environment");
    }

    @Test
    void the_active_virtual_environment_comes_before_python3_on_the_path_and_the_record_says_so() throws Exception {
        Path venv = tmp.resolve("venv");
        python(venv.resolve("bin/python"), "3.10.1", "scikit-learn", "1.2.1");
        cli("VIRTUAL_ENV", venv.toString()).run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact",
                "model.bin").ok();
        JsonNode env = runtimes("1.0.0");
        assertEquals("3.10.1", env.get("runtimes").get("python").asText());
        assertEquals(venv.resolve("bin/python").toString(), env.get("runtimes").get("python.interpreter").asText());
        assertEquals("VIRTUAL_ENV", env.get("runtimes").get("python.chosen_by").asText());
        assertEquals("1.2.1", env.get("python_packages").get("scikit-learn").asText());
    }

    @Test
    void dash_dash_python_beats_mver_python_which_beats_conda_and_the_path() throws Exception {
        Path conda = tmp.resolve("conda");
        python(conda.resolve("bin/python"), "3.9.0", "pandas", "2.2.0");
        Path chosen = python(tmp.resolve("elsewhere/python3.12"), "3.12.4", "torch", "2.5.1");
        Path fromEnv = python(tmp.resolve("env/python"), "3.11.9", "xgboost", "2.1.0");

        cli("CONDA_PREFIX", conda.toString()).run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact",
                "model.bin").ok();
        assertEquals("CONDA_PREFIX", runtimes("1.0.0").get("runtimes").get("python.chosen_by").asText());

        cli("CONDA_PREFIX", conda.toString(), "MVER_PYTHON", fromEnv.toString()).run("register", "m", "--version",
                "1.0.1", "-m", "b", "--param", "depth=2").ok();
        assertEquals("3.11.9", runtimes("1.0.1").get("runtimes").get("python").asText());

        cli("MVER_PYTHON", fromEnv.toString()).run("register", "m", "--version", "1.0.2", "-m", "c", "--param", "depth=3",
                "--python", chosen.toString()).ok();
        JsonNode env = runtimes("1.0.2");
        assertEquals("--python", env.get("runtimes").get("python.chosen_by").asText());
        assertEquals("2.5.1", env.get("python_packages").get("torch").asText());
    }

    @Test
    void a_named_interpreter_that_is_not_there_is_exit_2_and_nothing_is_registered() {
        Cli.Result r = cli().run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin",
                "--python", tmp.resolve("no/python").toString()).fails(2);
        assertTrue(r.err().contains("--python") && r.err().contains("is not an executable Python interpreter"),
                r.err());
        cli("MVER_PYTHON", "python-nowhere").run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact",
                "model.bin").fails(2);
        assertEquals("", git(repo, "tag", "-l").out().strip());
    }

    @Test
    void declared_library_versions_that_disagree_with_the_interpreter_warn_and_both_are_kept() throws Exception {
        Files2.write(repo.resolve("requirements.txt"), "numpy==1.24.2\nscikit-learn==1.2.1\n");
        Cli.Result r = cli().run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin",
                "--requirements", "requirements.txt").ok();
        assertTrue(r.err().contains("warning: library_versions and the packages of ")
                && r.err().contains("(chosen by PATH) disagree: numpy 1.24.2 declared, 2.1.3 installed; "
                + "scikit-learn 1.2.1 declared, not installed") && r.err().contains("--python"), r.err());
        JsonNode record = JSON.readTree(git(repo, "show", "m@v1.0.0:.mver/models/m.json").ok().out());
        assertEquals("1.24.2", record.get("library_versions").get("numpy").asText());
        assertEquals("2.1.3", record.get("environment").get("python_packages").get("numpy").asText());
    }
}
