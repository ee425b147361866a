package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The files a user names on the command line ({@code --metadata}, {@code --requirements}) are read with bounds:
 * devices that never end, FIFOs that nobody writes to and text that is not Unicode are refused quickly, with one
 * line naming the file, and nothing is written.
 */
class NamedInputFilesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @TempDir
    Path inputs;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.relaxed(tmp, "repo");
        cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 10_000, 1);
        cli.run("register", "m", "--version", "1.0.0", "-m", "base", "--artifact", "model.bin").ok();
        Files2.random(repo.resolve("model.bin"), 10_000, 2);
    }

    /** Refs, HEAD and what git status shows: a refused registration leaves them all as they were. */
    Map<String, String> state() {
        return Map.of("refs", git(repo, "show-ref").ok().out(),
                "status", git(repo, "status", "--porcelain").ok().out());
    }

    Cli.Result register(String option, String file) {
        return cli.run("register", "m", "--bump", "minor", "-m", "next", option, file);
    }

    @ParameterizedTest
    @CsvSource({
        "--metadata, /dev/zero, 16 MiB",
        "--metadata, /dev/urandom, 16 MiB",
        "--requirements, /dev/zero, 8 MiB",
        "--requirements, /dev/urandom, 8 MiB",
    })
    void register_refuses_a_device_that_never_ends(String option, String device, String limit) {
        Map<String, String> before = state();
        Cli.Result r = register(option, device).fails(2);
        assertTrue(r.err().contains(device) && r.err().contains(limit), "names the file and the limit: " + r.err());
        assertEquals(before, state(), "nothing written");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--metadata", "--requirements"})
    void register_refuses_a_fifo_that_nothing_writes_to(String option) {
        // How soon is NamedInputFilesIT's to check, on the packaged jar.
        Path fifo = mkfifo("lonely");
        Map<String, String> before = state();
        Cli.Result r = register(option, fifo.toString()).fails(2);
        assertTrue(r.err().contains("nothing is writing") && r.err().contains(fifo.toString()), r.err());
        assertEquals(before, state(), "nothing written");
    }

    @Test
    void register_reads_metadata_and_requirements_from_fifos_that_get_a_writer() throws Exception {
        Path metadata = mkfifo("metadata.json");
        Path requirements = mkfifo("requirements.txt");
        // Opening a FIFO for writing waits for its reader: these return once register has read them.
        CompletableFuture<Void> writers = CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> Files2.write(metadata, "{\"dataset_snapshot_id\": \"piped\"}")),
                CompletableFuture.runAsync(() -> Files2.write(requirements, "numpy==2.1.3\n")));
        cli.run("register", "m", "--bump", "minor", "-m", "next", "--metadata", metadata.toString(),
                "--requirements", requirements.toString()).ok();
        writers.get(10, TimeUnit.SECONDS);
        JsonNode m = metadata();
        assertEquals("piped", m.get("dataset_snapshot_id").asText());
        assertEquals("2.1.3", m.get("library_versions").get("numpy").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\\ud800", "\\udc00", "a\\ud800b", "\\ud800\\u0041", "\\ude00\\ud83d", "\\uDBFF"})
    void register_refuses_metadata_holding_half_a_surrogate_pair(String escaped) {
        Path file = Files2.write(inputs.resolve("lone.json"), "{\"dataset_snapshot_id\": \"" + escaped + "\"}");
        Map<String, String> before = state();
        Cli.Result r = register("--metadata", file.toString()).fails(2);
        assertTrue(r.err().contains("lone.json") && r.err().contains("surrogate"), r.err());
        assertEquals(before, state(), "nothing written");
    }

    @Test
    void register_keeps_an_escaped_surrogate_pair_as_the_character_it_encodes() throws Exception {
        Path file = Files2.write(inputs.resolve("emoji.json"), "{\"dataset_snapshot_id\": \"snap-\\ud83d\\ude00\","
                + " \"extra\": {\"note\": \"\\\\ud800 is text here\"}}");
        register("--metadata", file.toString()).ok();
        String smile = new String(Character.toChars(0x1F600));
        assertEquals("snap-" + smile, metadata().get("dataset_snapshot_id").asText());
        assertEquals("\\ud800 is text here", metadata().get("extra").get("note").asText());
        String committed = git(repo, "show", "m@v1.1.0:.mver/models/m.json").ok().out();
        assertTrue(committed.contains("\"snap-" + smile + "\""), "the committed record holds the emoji itself");
    }

    JsonNode metadata() throws Exception {
        return JSON.readTree(repo.resolve(".mver/models/m.json").toFile());
    }

    Path mkfifo(String name) {
        Path fifo = inputs.resolve(name);
        GitBinary.run(inputs, Map.of(), List.of("mkfifo", fifo.toString())).ok();
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo));
        return fifo;
    }
}
