package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Input files named the ways a shell user names them: process substitution, and a FIFO nobody writes to. */
class NamedInputFilesIT {
    @TempDir
    Path tmp;

    Path repo;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        git(tmp, "init", "-q", "repo").ok();
        MverProcess.run(repo, "init").ok();
        Repos.relaxPolicy(repo);
        Files2.random(repo.resolve("model.bin"), 10_000, 1);
    }

    /** {@code mver ARGS} through bash, so that {@code <(...)} in {@code args} is the shell's. */
    GitBinary.Result bash(String args) {
        String line = "\"$0\" -jar \"$1\" " + args;
        return GitBinary.run(repo, Map.of(), List.of("bash", "-c", line, MverProcess.java(),
                MverProcess.jar().toString()));
    }

    @Test
    void register_reads_metadata_and_requirements_given_by_process_substitution() {
        Files2.write(tmp.resolve("meta.json"), "{\"dataset_snapshot_id\": \"substituted\"}");
        Files2.write(tmp.resolve("requirements.txt"), "numpy==2.1.3\n");
        bash("register m --version 1.0.0 -m first --artifact model.bin --metadata <(cat ../meta.json)"
                + " --requirements <(cat ../requirements.txt)").ok();
        String record = git(repo, "show", "m@v1.0.0:.mver/models/m.json").ok().out();
        assertTrue(record.contains("\"dataset_snapshot_id\": \"substituted\""), record);
        assertTrue(record.contains("\"numpy\": \"2.1.3\""), record);
    }

    @Test
    void the_process_ends_promptly_when_nothing_writes_to_a_fifo() throws Exception {
        Path fifo = tmp.resolve("fifo.json");
        GitBinary.run(tmp, Map.of(), List.of("mkfifo", fifo.toString())).ok();
        long start = System.nanoTime();
        GitBinary.Result r = MverProcess.run(repo, "register", "m", "--version", "1.0.0", "-m", "first",
                "--artifact", "model.bin", "--metadata", fifo.toString());
        long took = System.nanoTime() - start;
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("nothing is writing to the FIFO " + fifo), r.err());
        assertTrue(took < TimeUnit.SECONDS.toNanos(10), "took " + took / 1_000_000 + " ms");
        assertTrue(Files.exists(fifo));
        assertEquals("", git(repo, "tag", "-l").ok().out(), "nothing registered");
    }
}
