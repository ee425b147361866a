package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.core.io.FileTrees;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
        Files2.random(dir.resolve("m/model.bin"), 50_000, 1);
        Files2.write(dir.resolve("m/enc/vocab.txt"), "a\nb\n");
        cli.run("register", "churn", "--version", "1.0.0", "-m", "x", "--artifact", "m/model.bin",
                "--artifact", "m/enc").ok();
    }

    JsonNode status() throws Exception {
        return JSON.readTree(cli.run("status", "--json").ok().out());
    }

    @Test
    void a_clean_tree_reports_clean() throws Exception {
        JsonNode s = status();
        assertTrue(s.get("clean").asBoolean(), s.toString());
        assertEquals(2, s.get("artifacts").size());
        assertTrue(cli.run("status").ok().out().startsWith("clean: 2 artifacts"));
    }

    @Test
    void modified_and_missing_artifacts_and_changed_models_are_reported() throws Exception {
        Files2.random(dir.resolve("m/model.bin"), 50_000, 2);
        Files2.write(dir.resolve("m/enc/vocab.txt"), "a\nc\n");
        JsonNode s = status();
        assertEquals(false, s.get("clean").asBoolean());
        assertEquals("modified", s.get("artifacts").get(0).get("state").asText(), s.toString());
        assertEquals("modified", s.get("artifacts").get(1).get("state").asText(), s.toString());
        assertEquals("[\"m/enc\",\"m/model.bin\"]", s.get("models").get(0).get("changed").toString());
        String human = cli.run("status").ok().out();
        assertTrue(human.contains("modified  m/model.bin"), human);
        assertTrue(human.contains("changed   m/model.bin  since churn@v1.0.0"), human);

        Files.delete(dir.resolve("m/model.bin"));
        assertEquals("missing", status().get("artifacts").get(1).get("state").asText());
    }

    @Test
    void the_registered_artifacts_come_from_the_event_cache_after_the_first_status_and_stay_right() throws Exception {
        Path cache = dir.resolve(".git/mver/events");
        Files.deleteIfExists(cache);
        assertTrue(status().get("clean").asBoolean());
        assertTrue(Files.readString(cache).contains("m/model.bin"), "status remembers what the tag registered");
        // Proof that the next status reads no tag: with the tag object moved away it still answers.
        String tagObject = GitBinary.git(dir, "rev-parse", "churn@v1.0.0").ok().out().trim();
        Path loose = dir.resolve(".git/objects/" + tagObject.substring(0, 2) + "/" + tagObject.substring(2));
        Path aside = dir.resolve("tag-object");
        Files.move(loose, aside);
        JsonNode cached = status();
        assertEquals("1.0.0", cached.get("models").get(0).get("latest").asText());
        assertEquals(null, cached.get("models").get(0).get("problem").textValue(), cached.toString());
        Files.move(aside, loose);
        Files2.random(dir.resolve("m/model.bin"), 50_000, 4);
        assertEquals("[\"m/model.bin\"]", status().get("models").get(0).get("changed").toString());

        // A damaged (or hand-edited) entry is read from git again; a new version is a new tag object, never a stale entry.
        Files.writeString(cache, Files.readString(cache).replace("m/model.bin", "m/other.bin"));
        assertEquals("[\"m/model.bin\"]", status().get("models").get(0).get("changed").toString());
        cli.run("register", "churn", "--bump", "minor", "-m", "retrained").ok();
        JsonNode s = status();
        assertTrue(s.get("clean").asBoolean(), s.toString());
        assertEquals("1.1.0", s.get("models").get(0).get("latest").asText());
    }

    @Test
    void a_tag_carrying_another_versions_payload_stays_unreadable_after_history_has_read_it() throws Exception {
        String message = GitBinary.git(dir, "for-each-ref", "--format=%(contents)",
                "refs/tags/churn@v1.0.0").ok().out();
        GitBinary.git(dir, "tag", "-a", "churn@v2.0.0", "-m", message, "churn@v1.0.0^{commit}").ok();
        cli.run("history", "churn").ok();
        JsonNode s = status();
        assertEquals("2.0.0", s.get("models").get(0).get("latest").asText());
        assertTrue(s.get("models").get(0).get("problem").asText().contains("carries the payload"), s.toString());
    }

    @Test
    void added_but_unregistered_changes_show_the_model_as_changed() throws Exception {
        Files2.random(dir.resolve("m/model.bin"), 50_000, 3);
        cli.run("add", "m/model.bin").ok();
        JsonNode s = status();
        assertEquals("ok", s.get("artifacts").get(1).get("state").asText());
        assertEquals("[\"m/model.bin\"]", s.get("models").get(0).get("changed").toString());
    }

    @Test
    void pointers_whose_object_is_not_in_the_cache_are_reported() throws Exception {
        Files2.snapshot(dir); // ensure tree is readable
        FileTrees.delete(dir.resolve(".git/mver/objects"));
        JsonNode s = status();
        assertEquals(false, s.get("artifacts").get(0).get("cached").asBoolean());
        assertTrue(cli.run("status").ok().out().contains("not cached"));
    }

    @Test
    void racy_rewrite_with_same_size_and_mtime_is_seen_as_modified() throws Exception {
        Path model = dir.resolve("m/model.bin");
        FileTime mtime = Files.getLastModifiedTime(model);
        status();
        Files2.random(model, 50_000, 4);
        Files.setLastModifiedTime(model, mtime);
        assertEquals("modified", status().get("artifacts").get(1).get("state").asText());
    }

    @Test
    void unchanged_old_files_are_not_reread() throws Exception {
        Path model = dir.resolve("m/model.bin");
        // Big enough that a re-read stands out from the few KiB of index, pointers and caches that status reads.
        Files2.random(model, 4 << 20, 5);
        cli.run("add", "m/model.bin").ok();
        Files.setLastModifiedTime(model, FileTime.from(Instant.now().minusSeconds(60)));
        // Old enough to be trusted by the racy rule: the mtime was set back; the ctime, which no call can set back,
        // is waited out (the stat cache does not trust a file changed in the last 2 s).
        Instant trusted = ((FileTime) Files.getAttribute(model, "unix:ctime")).toInstant().plusMillis(2100);
        while (Instant.now().isBefore(trusted)) {
            Thread.sleep(50);
        }
        assertEquals("ok", status().get("artifacts").get(1).get("state").asText()); // read once, and remembered
        // Counted per thread by the kernel, root or not: a status that re-read the file shows its 4 MiB here.
        long before = Files2.bytesReadByThisThread();
        assertEquals("ok", status().get("artifacts").get(1).get("state").asText());
        long read = Files2.bytesReadByThisThread() - before;
        assertTrue(read < (1 << 20), "status read " + read + " bytes: the unchanged 4 MiB artifact was read again");
    }
}
