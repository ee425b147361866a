package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A team on a shared-folder remote and a bare git remote: push, clone, rebuild. */
class RemotesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path origin;
    Path a;
    Cli cliA;
    String v1;
    String v2;

    @BeforeEach
    void setUp() {
        a = Repos.withOrigin(tmp, "a", true);
        origin = tmp.resolve("origin.git");
        cliA = new Cli(a);
        cliA.run("remote", "add", "shared", "../store").ok();
        v1 = Files2.sha256(Files2.random(a.resolve("models/model.bin"), 3 << 20, 1));
        Files2.write(a.resolve("models/enc/vocab.txt"), "a\nb\n");
        cliA.run("register", "churn", "--version", "1.0.0", "-m", "v1", "--artifact", "models/model.bin",
                "--artifact", "models/enc").ok();
        v2 = Files2.sha256(Files2.random(a.resolve("models/model.bin"), 3 << 20, 2));
        cliA.run("register", "churn", "--version", "1.1.0", "-m", "v2").ok();
        cliA.run("promote", "churn@v1.0.0", "production", "-m", "ship").ok();
    }

    Path cloneB() {
        Path b = tmp.resolve("b");
        git(tmp, "clone", "-q", origin.toString(), b.toString()).ok();
        return b;
    }

    @Test
    void push_then_a_fresh_clone_rebuilds_every_version_byte_for_byte() throws Exception {
        Cli.Result pushed = cliA.run("push").ok();
        assertTrue(pushed.out().startsWith("shared: 4 objects uploaded"), pushed.out());
        assertTrue(cliA.run("push").ok().out().contains("0 objects uploaded"), "the same bytes never go twice");

        Path b = cloneB();
        assertFalse(Files.exists(b.resolve(".git/mver/objects")), "a clone starts with an empty cache");
        Cli cliB = new Cli(b);
        cliB.run("checkout", "churn@v1.0.0", "--to", tmp.resolve("r1").toString()).ok();
        cliB.run("checkout", "churn@v1.1.0", "--to", tmp.resolve("r2").toString()).ok();
        assertEquals(v1, Files2.sha256(tmp.resolve("r1/models/model.bin")));
        assertEquals(v2, Files2.sha256(tmp.resolve("r2/models/model.bin")));
        assertEquals("a\nb\n", Files.readString(tmp.resolve("r1/models/enc/vocab.txt")));
        assertEquals(cliA.run("history", "churn", "--json").out(), cliB.run("history", "churn", "--json").out());
        cliB.run("pull", "churn#production").ok();
        assertEquals(v1, Files2.sha256(b.resolve("models/model.bin")));
    }

    @Test
    void a_corrupted_object_on_the_remote_never_enters_the_cache() throws Exception {
        cliA.run("push").ok();
        Path object = tmp.resolve("store/objects/" + v1.substring(0, 2) + "/" + v1.substring(2));
        object.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(object, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 4096);
        }
        Path b = cloneB();
        Cli.Result r = new Cli(b).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("r").toString());
        assertEquals(6, r.code(), r.err());
        assertTrue(r.err().contains("retrying") && r.err().contains("corrupt"), r.err());
        assertFalse(Files.exists(b.resolve(".git/mver/objects/" + v1.substring(0, 2) + "/" + v1.substring(2))));
        assertFalse(Files.exists(tmp.resolve("r/models/model.bin")));
        try (Stream<Path> incoming = Files.list(b.resolve(".git/mver/incoming"))) {
            assertEquals(0, incoming.count(), "no partial download is left behind");
        }
    }

    @Test
    void a_corrupt_cache_object_is_quarantined_reported_and_replaced_by_the_good_copy_on_the_remote() throws Exception {
        cliA.run("push").ok();
        String vocab = Files2.sha256(a.resolve("models/enc/vocab.txt"));
        Path cache = a.resolve(".git/mver/objects");
        Path model = cache.resolve(v1.substring(0, 2) + "/" + v1.substring(2));
        Path vocabObject = cache.resolve(vocab.substring(0, 2) + "/" + vocab.substring(2));
        // A flipped bit in one object; the other is replaced by a different object's bytes (misnamed).
        model.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 4096);
        }
        vocabObject.toFile().setWritable(true);
        Files.writeString(vocabObject, "c\nd\n");

        Path out = tmp.resolve("rebuilt");
        Cli.Result r = cliA.run("checkout", "churn@v1.0.0", "--to", out.toString()).ok();
        assertTrue(r.err().contains(v1) && r.err().contains("models/model.bin") && r.err().contains("quarantine")
                && r.err().contains("fetched a good copy from the remote"), r.err());
        assertTrue(r.err().contains(vocab) && r.err().contains("vocab.txt"), r.err());
        assertEquals(v1, Files2.sha256(out.resolve("models/model.bin")));
        assertEquals("a\nb\n", Files.readString(out.resolve("models/enc/vocab.txt")));
        assertEquals(v1, Files2.sha256(model), "the good copy is back in the cache");
        try (Stream<Path> q = Files.list(a.resolve(".git/mver/quarantine"))) {
            assertEquals(2, q.count(), "both bad objects kept aside for inspection");
        }

        // Truncated, with the remote gone: the corruption is the error (exit 6), nothing is written.
        model.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        cliA.run("remote", "remove", "shared").ok();
        Path again = tmp.resolve("again");
        assertTrue(cliA.run("checkout", "churn@v1.0.0", "--to", again.toString()).fails(6).err().contains(v1));
        assertFalse(Files.exists(again.resolve("models/model.bin")));
    }

    @Test
    void a_corrupt_manifest_in_the_cache_is_replaced_by_the_remote_copy_before_anything_is_written() throws Exception {
        cliA.run("push").ok();
        String manifest = Files.readString(a.resolve("models/enc.mver")).lines()
                .filter(l -> l.startsWith("sha256 ")).findFirst().orElseThrow().substring(7);
        Path object = a.resolve(".git/mver/objects/" + manifest.substring(0, 2) + "/" + manifest.substring(2));
        object.toFile().setWritable(true);
        Files.writeString(object, "{\"not\": \"the manifest\"}");

        Path out = tmp.resolve("rebuilt");
        Cli.Result r = cliA.run("checkout", "churn@v1.0.0", "--to", out.toString()).ok();
        assertTrue(r.err().contains(manifest) && r.err().contains("quarantine"), r.err());
        assertEquals("a\nb\n", Files.readString(out.resolve("models/enc/vocab.txt")));
        assertEquals(manifest, Files2.sha256(object), "the good manifest is back in the cache");
    }

    @Test
    void a_corrupt_cache_object_is_never_pushed_and_is_quarantined_with_its_name() throws Exception {
        Path model = a.resolve(".git/mver/objects/" + v2.substring(0, 2) + "/" + v2.substring(2));
        model.toFile().setWritable(true);
        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {0x55}), 100);
        }
        Cli.Result r = cliA.run("push");
        assertEquals(6, r.code(), r.err());
        assertTrue(r.err().contains(v2) && r.err().contains("quarantine") && r.err().contains("models/model.bin"),
                r.err());
        assertFalse(Files.exists(tmp.resolve("store/objects/" + v2.substring(0, 2) + "/" + v2.substring(2))));
        assertFalse(Files.exists(model));
        assertEquals("", git(origin, "tag", "-l").ok().out(), "no ref names bytes the remote does not have");
    }

    @Test
    void a_second_registration_of_the_same_version_is_refused_on_push_with_guidance() throws Exception {
        cliA.run("push").ok();
        Path b = cloneB();
        Cli cliB = new Cli(b);
        Files2.random(a.resolve("models/model.bin"), 3 << 20, 3);
        cliA.run("register", "churn", "--bump", "minor", "-m", "A's retrain").ok();
        cliB.run("checkout").ok();
        Files2.random(b.resolve("models/model.bin"), 3 << 20, 4);
        cliB.run("register", "churn", "--bump", "minor", "-m", "B's retrain").ok();
        cliA.run("push").ok();
        Cli.Result refused = cliB.run("push");
        assertEquals(5, refused.code(), refused.err());
        assertTrue(refused.err().contains("churn@v1.2.0 was registered on the remote too")
                && refused.err().contains("--retry"), refused.err());
        assertEquals(git(a, "rev-parse", "churn@v1.2.0").ok().out(),
                git(origin, "rev-parse", "churn@v1.2.0").ok().out(), "A's version stands on the remote");

        // B takes the next version with its own bytes, then pushes.
        String mine = Files2.sha256(b.resolve("models/model.bin"));
        Cli.Result retried = cliB.run("register", "churn", "--bump", "minor", "-m", "B's retrain", "--retry").ok();
        assertTrue(retried.err().contains("set aside unpushed churn@v1.2.0"), retried.err());
        assertTrue(retried.out().startsWith("Registered churn@v1.3.0"), retried.out());
        cliB.run("push").ok();
        Path c = tmp.resolve("c");
        git(tmp, "clone", "-q", origin.toString(), c.toString()).ok();
        Cli cliC = new Cli(c);
        cliC.run("checkout", "churn@v1.3.0", "--to", tmp.resolve("v13").toString()).ok();
        assertEquals(mine, Files2.sha256(tmp.resolve("v13/models/model.bin")));
        assertEquals("A's retrain", JSON.readTree(cliC.run("show", "churn@v1.2.0", "--json").ok().out())
                .get("metadata").get("reason").asText());
        assertEquals("", git(b, "status", "--porcelain").ok().out());
    }

    @Test
    void remotes_are_validated_and_credentials_never_go_in_the_config() throws Exception {
        Map<String, String> before = Files2.snapshot(a.resolve(".mver"));
        cliA.run("remote", "add", "bad", "s3://key:secret@bucket/p").fails(2);
        cliA.run("remote", "add", "bad", "s3://bucket/p\r\nX-Injected: 1").fails(2);
        cliA.run("remote", "add", "bad", "ftp://host/x").fails(2);
        cliA.run("remote", "add", "bad", "s3://bucket", "--endpoint", "http://user:pw@minio:9000").fails(2);
        cliA.run("remote", "add", "shared", "../other").fails(5);
        cliA.run("remote", "remove", "nope").fails(4);
        assertEquals(before, Files2.snapshot(a.resolve(".mver")));
        cliA.run("remote", "add", "s3", "s3://models-bucket/team", "--endpoint", "http://127.0.0.1:9000",
                "--path-style", "--default").ok();
        JsonNode list = JSON.readTree(cliA.run("remote", "list", "--json").ok().out());
        assertEquals("s3", list.get(0).get("name").asText());
        assertTrue(list.get(0).get("default").asBoolean());
        assertFalse(list.get(1).get("default").asBoolean());
        cliA.run("remote", "remove", "s3").ok();
    }

    @Test
    void gc_removes_only_objects_nothing_needs_once_they_are_old_enough_and_given_up() throws Exception {
        Files2.random(a.resolve("scratch.bin"), 1000, 9);
        cliA.run("add", "scratch.bin").ok();
        Files2.random(a.resolve("scratch.bin"), 1000, 10);
        cliA.run("add", "scratch.bin").ok();
        JsonNode kept = JSON.readTree(cliA.run("gc", "--json").ok().out());
        assertEquals(0, kept.get("removed").asInt(), kept.toString());
        assertEquals(1, kept.get("kept_recent").asInt(), "younger than the grace period: " + kept);
        String[] now = {"gc", "--grace", "0", "--include-unpushed", "--json"};
        JsonNode dry = JSON.readTree(cliA.run("gc", "--dry-run", "--grace", "0", "--include-unpushed", "--json").ok()
                .out());
        assertEquals(1, dry.get("removed").asInt(), dry.toString());
        assertEquals(1, JSON.readTree(cliA.run(now).ok().out()).get("removed").asInt());
        assertEquals(0, JSON.readTree(cliA.run(now).ok().out()).get("removed").asInt());
        cliA.run("checkout", "churn@v1.0.0", "--to", tmp.resolve("after-gc").toString()).ok();
        cliA.run("checkout", "churn@v1.1.0", "--to", tmp.resolve("after-gc2").toString()).ok();
    }
}
