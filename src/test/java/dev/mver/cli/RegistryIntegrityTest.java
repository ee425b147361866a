package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mver.core.store.PointerFile;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify sees every version the way list, show and checkout see it. */
class RegistryIntegrityTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = Repos.withOrigin(tmp, "repo", true);
        cli = new Cli(repo);
    }

    void register(String model, String version, int seed) {
        Files2.random(repo.resolve(model + ".bin"), 2000, seed);
        cli.run("register", model, "--version", version, "-m", "v" + version, "--artifact", model + ".bin").ok();
    }

    JsonNode json(String... args) throws Exception {
        return JSON.readTree(cli.run(args).out());
    }

    @Test
    void a_latest_version_replaced_by_a_plain_annotated_tag_is_tampering_that_every_command_names() throws Exception {
        register("c", "1.0.0", 1);
        register("c", "1.1.0", 2);
        cli.run("verify").ok(); // the event cache now vouches for both tags: a replaced one is a new tag object
        git(repo, "tag", "-f", "-a", "c@v1.1.0", "-m", "foreign", "HEAD~1").ok();

        Cli.Result verify = cli.run("verify");
        assertEquals(6, verify.code(), verify.out());
        assertTrue(verify.out().contains("c@v1.1.0") && verify.out().contains("tampered"), verify.out());
        assertTrue(json("list", "--json").get(0).get("problem").asText().contains("tampered"));
        assertTrue(cli.run("list").out().contains("TAMPERED"));
        assertEquals("tampered", json("log", "c", "--json").get(0).get("origin").asText());
        JsonNode history = json("history", "c", "--reverse", "--json");
        assertEquals("tampered", history.get(1).get("origin").asText(), history.toString());
        assertEquals("mver", history.get(0).get("origin").asText());
        assertEquals("tampered", json("audit", "--json").get(0).get("events").get(1).get("origin").asText());
        assertTrue(cli.run("show", "c@v1.1.0").fails(6).err().contains("tampered"));
        cli.run("checkout", "c@v1.1.0", "--to", tmp.resolve("out").toString()).fails(6);
    }

    @Test
    void a_deleted_version_tag_does_not_free_its_number_and_verify_names_the_gap() throws Exception {
        register("c", "1.0.0", 1);
        register("c", "1.1.0", 2);
        cli.run("promote", "c@v1.0.0", "production", "-m", "ship").ok();
        git(repo, "tag", "-d", "c@v1.1.0").ok();

        Files2.random(repo.resolve("c.bin"), 2000, 3);
        Cli.Result again = cli.run("register", "c", "--version", "1.1.0", "-m", "other bytes").fails(5);
        assertTrue(again.err().contains("c@v1.1.0 was registered before") && again.err().contains("commit"),
                again.err());
        Cli.Result verify = cli.run("verify", "--json");
        assertEquals(6, verify.code());
        String problems = JSON.readTree(verify.out()).get("problems").toString();
        assertTrue(problems.contains("event number [2]") && problems.contains("missing"), problems);
        assertTrue(problems.contains("c@v1.1.0") && problems.contains("its tag is gone"), problems);

        // What an older mver let happen: the same version registered again, on another commit.
        git(repo, "commit", "-q", "--allow-empty", "-m", "mver: register c@v1.1.0").ok();
        git(repo, "tag", "-a", "c@v1.1.0", "-m", "re-registered by hand").ok();
        assertTrue(cli.run("verify").out().contains("registered 2 times"));
    }

    @Test
    void a_gto_registration_is_shown_logged_and_checked_out_from_its_commit_and_verified() throws Exception {
        // A GTO registry: a plain annotated tag on a commit that holds no record, then one on a commit that does.
        git(repo, "commit", "-q", "--allow-empty", "-m", "train").ok();
        git(repo, "tag", "-a", "nn@v0.1.0", "-m", "Registering artifact nn version v0.1.0").ok();
        String sha = Files2.sha256(Files2.random(repo.resolve("nn.bin"), 3000, 4));
        cli.run("add", "nn.bin").ok();
        Files2.write(repo.resolve(".mver/models/nn.json"), "{\"schema\": \"mver/metadata/v1\", \"model_name\": \"nn\", "
                + "\"version\": \"0.2.0\", \"artifacts\": [{\"path\": \"nn.bin\", \"type\": \"file\", \"sha256\": \""
                + sha + "\", \"size\": 3000}]}\n");
        git(repo, "add", "-A").ok();
        git(repo, "commit", "-qm", "retrain").ok();
        git(repo, "tag", "-a", "nn@v0.2.0", "-m", "Registering artifact nn version v0.2.0").ok();

        JsonNode shown = json("show", "nn@v0.1.0", "--json");
        assertEquals("other_tool", shown.get("origin").asText());
        assertEquals("Registering artifact nn version v0.1.0", shown.get("message").asText());
        assertTrue(shown.get("metadata").isNull());
        assertTrue(cli.run("show", "nn@v0.1.0").ok().out().contains("(other tool)"));
        JsonNode log = json("log", "nn", "--json");
        assertEquals("other_tool", log.get(0).get("origin").asText());
        assertEquals("Registering artifact nn version v0.2.0", log.get(0).get("reason").asText());

        Path out = tmp.resolve("out");
        cli.run("checkout", "nn@v0.2.0", "--to", out.toString()).ok();
        assertEquals(sha, Files2.sha256(out.resolve("nn.bin")));
        cli.run("checkout", "nn@v0.1.0", "--to", tmp.resolve("out2").toString()).fails(4);
        Cli.Result verify = cli.run("verify").ok();
        assertTrue(verify.out().contains("2 from other tools"), verify.out());

        // mver takes over the model: the next version links the GTO one (and inherits its record).
        Files2.random(repo.resolve("nn.bin"), 3000, 5);
        cli.run("register", "nn", "--bump", "minor", "-m", "first under mver", "--artifact", "nn.bin").ok();
        assertEquals("mver", json("show", "nn", "--json").get("origin").asText());
        cli.run("verify").ok();

        // A GTO registration whose commit's pointer names a path, not a hash: verify fails and names it.
        git(repo, "checkout", "-q", "nn@v0.2.0").ok();
        Files.writeString(repo.resolve("nn.bin.mver"), new String(new PointerFile(
                dev.mver.core.value.ArtifactType.FILE, dev.mver.core.value.Sha256.ofHex(sha), 3000).toBytes())
                .replace(sha, "../../etc/passwd"));
        git(repo, "commit", "-qam", "broken pointer").ok();
        git(repo, "tag", "-a", "nn@v0.2.5", "-m", "Registering artifact nn version v0.2.5").ok();
        Cli.Result broken = cli.run("verify");
        assertEquals(6, broken.code());
        assertTrue(broken.out().contains("nn@v0.2.5") && broken.out().contains("nn.bin.mver"), broken.out());
    }

    @Test
    void a_shallow_ci_clone_is_deepened_before_verify_and_without_a_remote_is_called_incomplete() {
        cli.run("remote", "add", "shared", tmp.resolve("store").toString(), "--default").ok();
        git(repo, "add", ".mver").ok();
        git(repo, "commit", "-q", "-m", "remote").ok();
        register("c", "1.0.0", 1);
        register("c", "1.1.0", 2);
        cli.run("push").ok();
        git(repo, "push", "-q", "origin", "HEAD", "--tags").ok();
        Path ci = tmp.resolve("ci");
        git(tmp, "clone", "-q", "--depth", "1", "file://" + tmp.resolve("origin.git"), ci.toString()).ok();
        // Commits in the same second: JGit's own deepening (against JGit's in-process server) lost their trees.
        Cli.Result r = cli.in(ci).run("verify").ok();
        assertTrue(r.err().contains("shallow"), r.err());

        Path lonely = tmp.resolve("lonely");
        git(tmp, "clone", "-q", "--depth", "1", "file://" + tmp.resolve("origin.git"), lonely.toString()).ok();
        git(lonely, "remote", "remove", "origin").ok();
        Cli.Result incomplete = cli.in(lonely).run("verify").fails(4);
        assertTrue(incomplete.err().contains("shallow") && incomplete.err().contains("incomplete")
                && !incomplete.err().contains("missing"), incomplete.err());
    }
}
