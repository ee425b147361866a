package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyAllTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;
    String sha;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
        sha = Files2.sha256(Files2.random(dir.resolve("model.bin"), 100_000, 1));
        Files2.write(dir.resolve("enc/vocab.txt"), "a\n");
        cli.run("register", "m", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin", "--artifact", "enc").ok();
    }

    Path object(String hex) {
        return dir.resolve(".git/mver/objects/" + hex.substring(0, 2) + "/" + hex.substring(2));
    }

    @Test
    void a_clean_repository_verifies_with_counts() {
        String out = cli.run("verify", "--all").ok().out();
        assertTrue(out.startsWith("ok: 1 tags (1 verified, 0 from other tools), 3 objects re-hashed, 2 pointers resolved"),
                out);
    }

    @Test
    void a_flipped_bit_is_found_quarantined_and_reported_and_a_misnamed_object_too() throws Exception {
        Path obj = object(sha);
        obj.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(obj, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {7}), 500);
        }
        String other = "0".repeat(64);
        Files.createDirectories(object(other).getParent());
        Files.writeString(object(other), "not zeros");
        Cli.Result r = cli.run("verify", "--all", "--json");
        assertEquals(6, r.code(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(2, report.get("corrupt_objects").size(), report.toString());
        assertTrue(report.get("corrupt_objects").toString().contains(sha), report.toString());
        assertFalse(Files.exists(obj), "the bad object is moved to quarantine");
        assertEquals(1, report.get("unresolved_pointers").size(), "model.bin's object is now missing");
        // Adding the good bytes again heals the cache.
        cli.run("add", "model.bin").ok();
        cli.run("verify", "--all").ok();
    }
}
