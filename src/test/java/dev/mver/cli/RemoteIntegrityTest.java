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
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The remote side of integrity on a folder remote: push never calls a damaged copy "already there", verify --remote
 * finds missing and wrong-size copies and --deep same-size corruption, and versions with no good copy anywhere are
 * named as unrecoverable by every verify.
 */
class RemoteIntegrityTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path repo;
    Path store;
    Cli cli;
    /** Artifact path → sha256 of the bytes registered as c@v1.0.0. */
    final Map<String, String> sha = new HashMap<>();

    @BeforeEach
    void setUp() {
        repo = Repos.withOrigin(tmp, "repo", true);
        store = tmp.resolve("store");
        cli = new Cli(repo);
        cli.run("remote", "add", "shared", store.toString(), "--default").ok();
        git(repo, "add", ".mver").ok();
        git(repo, "commit", "-q", "-m", "artifact remote").ok();
        sha.put("m/model.bin", Files2.sha256(Files2.random(repo.resolve("m/model.bin"), 300_000, 1)));
        sha.put("m/tok/a.bin", Files2.sha256(Files2.random(repo.resolve("m/tok/a.bin"), 40_000, 2)));
        sha.put("m/tok/b.bin", Files2.sha256(Files2.random(repo.resolve("m/tok/b.bin"), 50_000, 3)));
        cli.run("register", "c", "--version", "1.0.0", "-m", "v1", "--artifact", "m/model.bin", "--artifact",
                "m/tok").ok();
        cli.run("push").ok();
        git(repo, "push", "-q", "origin", "HEAD").ok();
    }

    Path remoteCopy(String path) {
        String s = sha.get(path);
        return store.resolve("objects/" + s.substring(0, 2) + "/" + s.substring(2));
    }

    static void truncate(Path file, long size) throws Exception {
        file.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size);
        }
    }

    /** The same size, one byte different: only re-hashing finds it. */
    static void flipByte(Path file) throws Exception {
        file.toFile().setWritable(true);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(1000);
            int b = f.read();
            f.seek(1000);
            f.write(b ^ 0x01);
        }
    }

    Path freshClone(String name) {
        Path clone = tmp.resolve(name);
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), clone.toString()).ok();
        return clone;
    }

    @Test
    void push_replaces_a_truncated_remote_copy_instead_of_calling_it_already_there() throws Exception {
        truncate(remoteCopy("m/model.bin"), 1000);

        Cli.Result push = cli.run("push").ok();
        assertTrue(push.out().contains("1 object uploaded"), push.out());
        assertTrue(push.err().contains(sha.get("m/model.bin").substring(0, 12)) && push.err().contains("has 1000 bytes")
                && push.err().contains("replacing it"), push.err());
        assertEquals(sha.get("m/model.bin"), Files2.sha256(remoteCopy("m/model.bin")));

        Path clone = freshClone("b");
        new Cli(clone).run("checkout").ok();
        assertEquals(sha.get("m/model.bin"), Files2.sha256(clone.resolve("m/model.bin")));
    }

    @Test
    void verify_remote_finds_missing_and_wrong_size_copies_and_deep_finds_same_size_corruption() throws Exception {
        assertEquals(0, cli.run("verify", "--remote").code());
        Files.delete(remoteCopy("m/tok/a.bin"));
        truncate(remoteCopy("m/model.bin"), 10);
        flipByte(remoteCopy("m/tok/b.bin"));

        Cli.Result shallow = cli.run("verify", "--remote", "--json");
        assertEquals(6, shallow.code(), shallow.out() + shallow.err());
        JsonNode report = JSON.readTree(shallow.out());
        assertEquals(4, report.get("objects").asInt(), "two files, a directory's manifest and its two files, deduped");
        Map<String, JsonNode> found = byObject(report);
        assertEquals(2, found.size(), report.toString());
        JsonNode missing = found.get(sha.get("m/tok/a.bin"));
        assertEquals("missing", missing.get("problem").asText());
        assertEquals("c@v1.0.0 m/tok/a.bin", missing.get("needed_by").get(0).asText());
        assertEquals(remoteCopy("m/tok/a.bin").toString(), missing.get("where").asText());
        assertTrue(missing.get("fix").asText().startsWith("mver push "), missing.toString());
        JsonNode truncated = found.get(sha.get("m/model.bin"));
        assertEquals("has 10 bytes, not 300000", truncated.get("problem").asText());

        JsonNode deep = JSON.readTree(cli.run("verify", "--remote", "shared", "--deep", "--jobs", "2", "--json").out());
        JsonNode flipped = byObject(deep).get(sha.get("m/tok/b.bin"));
        assertTrue(flipped.get("problem").asText().startsWith("its bytes hash to"), deep.toString());
        assertTrue(flipped.get("fix").asText().startsWith("mver push --repair"), flipped.toString());

        Cli.Result human = cli.run("verify", "--remote", "--deep");
        assertTrue(human.out().contains("c@v1.0.0 m/tok/b.bin") && human.out().contains(store.toString())
                && human.out().startsWith("remote"), human.out());
        assertTrue(human.out().lines().anyMatch(l -> l.startsWith("FAILED: 1 tags, 4 objects re-hashed on")),
                human.out());

        // push puts back what is missing or the wrong size; only --repair re-hashes what looks right.
        cli.run("push").ok();
        assertEquals(1, byObject(JSON.readTree(cli.run("verify", "--remote", "--deep", "--json").out())).size());
        Cli.Result repair = cli.run("push", "--repair").ok();
        assertTrue(repair.out().contains("1 object uploaded"), repair.out());
        cli.run("verify", "--remote", "--deep").ok();
        assertEquals(sha.get("m/tok/b.bin"), Files2.sha256(remoteCopy("m/tok/b.bin")));
    }

    @Test
    void a_version_with_an_object_nowhere_is_unrecoverable_in_every_verify_and_checkout_says_where_and_what_next()
            throws Exception {
        Path clone = freshClone("b");
        Cli b = new Cli(clone);
        b.run("verify").ok();
        flipByte(remoteCopy("m/model.bin"));
        Files.delete(remoteCopy("m/tok/a.bin"));

        // This clone has the bytes: nothing is lost, but the remote needs a push.
        cli.run("verify").ok();
        Cli.Result here = cli.run("verify", "--remote", "--json");
        assertTrue(here.out().contains("this clone's cache has a good copy"), here.out());
        assertEquals("[]", JSON.readTree(here.out()).get("registry").get("unrecoverable").toString());

        // The fresh clone has no cache: from where it stands, c@v1.0.0 cannot be rebuilt.
        Cli.Result plain = b.run("verify", "--json");
        assertEquals(6, plain.code());
        String unrecoverable = JSON.readTree(plain.out()).get("unrecoverable").get(0).asText();
        assertTrue(unrecoverable.startsWith("c@v1.0.0: object " + sha.get("m/tok/a.bin").substring(0, 12))
                && unrecoverable.contains(store.toString()), unrecoverable);
        Cli.Result all = b.run("verify", "--all");
        assertEquals(6, all.code());
        assertTrue(all.out().startsWith("unrecoverable  c@v1.0.0"), all.out());
        JsonNode deep = JSON.readTree(b.run("verify", "--remote", "--deep", "--json").out());
        assertEquals(1, deep.get("registry").get("unrecoverable").size(), deep.toString());
        assertTrue(deep.get("problems").toString().contains("in a clone whose cache has it"), deep.toString());

        Cli.Result checkout = b.run("checkout", "c@v1.0.0", "--to", tmp.resolve("out").toString());
        assertEquals(6, checkout.code(), checkout.err());
        assertTrue(checkout.err().contains(sha.get("m/model.bin").substring(0, 12)) && checkout.err().contains("m/model.bin")
                && checkout.err().contains(remoteCopy("m/model.bin").toString())
                && checkout.err().contains("mver push --repair"), checkout.err());
        assertFalse(Files.exists(tmp.resolve("out/m/model.bin")));

        // Repaired from the clone that has the bytes, the fresh clone rebuilds the version.
        cli.run("push", "--repair").ok();
        b.run("verify", "--remote", "--deep").ok();
        b.run("checkout", "c@v1.0.0", "--to", tmp.resolve("out").toString()).ok();
        assertEquals(sha.get("m/model.bin"), Files2.sha256(tmp.resolve("out/m/model.bin")));
    }

    @Test
    void deep_and_all_and_remote_are_used_the_way_they_are_meant() {
        assertTrue(cli.run("verify", "--deep").fails(2).err().contains("--remote"));
        assertTrue(cli.run("verify", "--all", "--remote").fails(2).err().contains("one after the other"));
        assertTrue(cli.run("verify", "--remote", "nope").fails(4).err().contains("no remote named 'nope'"));
    }

    static Map<String, JsonNode> byObject(JsonNode report) {
        Map<String, JsonNode> out = new HashMap<>();
        report.get("problems").forEach(p -> out.put(p.get("object").asText(), p));
        return out;
    }
}
