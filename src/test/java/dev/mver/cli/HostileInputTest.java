package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.store.PointerFile;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.Sha256;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input built to hurt: gigantic, NUL-laden or deeply nested metadata, names and versions that try to inject into
 * ref names or shells, and a repository whose tags were forged to point outside the tree. Each gets one clear
 * error line and a non-zero exit, and nothing changes on disk or outside the tree.
 */
class HostileInputTest {
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
    }

    /** What a refused command must leave exactly as it was: files (cache aside), index, refs. */
    Map<String, String> state() {
        Map<String, String> s = Files2.snapshot(tmp);
        s.keySet().removeIf(k -> k.startsWith("repo/.git/"));
        s.put("index", git(repo, "ls-files", "-s").ok().out());
        s.put("refs", git(repo, "show-ref").ok().out());
        return s;
    }

    @Test
    void gigantic_nul_laden_or_deeply_nested_metadata_files_are_refused_without_reading_them_whole() throws Exception {
        // Outside tmp, whose every file state() hashes.
        Path huge = inputs.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GiB, sparse: reading it whole would take seconds and the heap
        }
        Files.writeString(inputs.resolve("nul.json"), "{\"model_name\": \"m\", \"dataset_snapshot_id\": \"a\0b\"}");
        Files.write(inputs.resolve("binary.json"), new byte[] {0, 0, 0, '{', (byte) 0xff, (byte) 0xfe});
        Files.writeString(inputs.resolve("deep.json"), "{\"hyperparameters\": " + "[".repeat(200_000)
                + "]".repeat(200_000) + "}");
        Files.writeString(inputs.resolve("deep-object.json"), "{\"metrics\": " + "{\"a\": ".repeat(50_000) + "1"
                + "}".repeat(50_000) + "}");
        Map<String, String> before = state();
        for (String file : List.of("huge.json", "nul.json", "binary.json", "deep.json", "deep-object.json")) {
            long readBefore = Files2.bytesReadByThisThread();
            Cli.Result r = cli.run("register", "m", "--bump", "patch", "-m", "hostile", "--metadata",
                    inputs.resolve(file).toString()).fails(2);
            long read = Files2.bytesReadByThisThread() - readBefore;
            assertTrue(r.err().contains(file), "names the file: " + r.err());
            assertTrue(read < (64L << 20), file + " was read whole before it was refused: " + read + " bytes");
        }
        assertEquals(before, state(), "nothing changed");
    }

    @Test
    void names_and_versions_built_to_inject_into_refs_or_shells_are_usage_errors() {
        Map<String, String> before = state();
        for (String name : List.of("x;touch pwned", "$(touch pwned)", "`touch pwned`", "a..b", "refs/heads/main",
                "-rf", "a@{1}", "a b", "a\nb", "m.lock", "m@v1.0.0", "m#prod", "../m", "m/", "", "\u202em",
                "m".repeat(300), "HEAD:m")) {
            cli.run("register", name, "--version", "2.0.0", "-m", "x", "--artifact", "model.bin").fails(2);
            cli.run("promote", name + "@v1.0.0", "production", "-m", "x").fails(2);
        }
        for (String version : List.of("1.0.0;touch pwned", "1.0.0$(id)", "1.0.0/../../x", "1.0.0\n", "1.0.0 ",
                "01.0.0", "1.0", "v1.0.0.lock", "1.0.0-rc..1", "1.0.0+a@{1}", "1.0.0-\u0000")) {
            cli.run("register", "m", "--version", version, "-m", "x").fails(2);
        }
        assertEquals(before, state(), "nothing changed");
        assertFalse(Files.exists(repo.resolve("pwned")) || Files.exists(tmp.resolve("pwned")));
    }

    @Test
    void forged_tags_that_point_outside_the_tree_are_refused_and_nothing_is_written_outside() throws Exception {
        String sha = Files2.sha256(repo.resolve("model.bin"));
        String meta = git(repo, "show", "m@v1.0.0:.mver/models/m.json").ok().out();
        String metaSha = Sha256.hash(meta.getBytes(StandardCharsets.UTF_8)).hex();
        for (String[] forged : new String[][] {
            {"2.0.0", "../escape.bin", ".mver/models/m.json"},
            {"2.0.1", "/tmp/escape.bin", ".mver/models/m.json"},
            {"2.0.2", ".git/hooks/pre-commit", ".mver/models/m.json"},
            {"2.0.3", "model.bin", "../../escape.json"},
        }) {
            String payload = "{\"schema\":\"mver/tag/v1\",\"model\":\"m\",\"version\":\"" + forged[0]
                    + "\",\"seq\":9,\"metadata_path\":\"" + forged[2] + "\",\"metadata_sha256\":\"" + metaSha
                    + "\",\"artifacts\":[{\"path\":\"" + forged[1] + "\",\"type\":\"file\",\"sha256\":\"" + sha
                    + "\",\"size\":10000}],\"previous\":null,\"reason\":\"forged\"}";
            GitBinary.run(repo, Map.of(), List.of("git", "tag", "-a", "m@v" + forged[0], "-m",
                    "m v" + forged[0] + ": forged\n\n" + payload, "m@v1.0.0^{commit}")).ok();
        }
        Map<String, String> before = state();
        Path out = tmp.resolve("out");
        for (String v : List.of("2.0.0", "2.0.1", "2.0.2", "2.0.3")) {
            Cli.Result r = cli.run("checkout", "m@v" + v, "--to", out.toString());
            assertTrue(r.code() == 6 || r.code() == 2, "m@v" + v + ": exit " + r.code() + " " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            cli.run("checkout", "m@v" + v).fails(r.code());
            assertTrue(cli.run("release", "--tag", "m@v" + v, "--out", out.toString()).code() != 0);
        }
        assertEquals(before, state(), "nothing was written, inside the tree or beside it");
        assertFalse(Files.exists(tmp.resolve("escape.bin")) || Files.exists(Path.of("/tmp/escape.bin"))
                || Files.exists(tmp.resolve("escape.json")));
        Cli.Result verify = cli.run("verify");
        assertEquals(6, verify.code(), verify.out() + verify.err());
        cli.run("list", "--json").ok();
        cli.run("status").ok();
    }

    @Test
    void a_forged_registration_naming_mvers_own_files_as_artifacts_is_refused_on_every_read() throws Exception {
        // The attacker's bytes are in the cache already (a pull of their objects would put them there).
        Files2.write(inputs.resolve("evil.json"), "{\"schema\": \"mver/config/v1\", \"remotes\": {}}\n");
        Files.copy(inputs.resolve("evil.json"), repo.resolve("evil.json"));
        cli.run("add", "evil.json").ok();
        String evil = Files2.sha256(repo.resolve("evil.json"));
        long size = Files.size(repo.resolve("evil.json"));
        git(repo, "rm", "-q", "--cached", "evil.json.mver").ok();
        // A complete, self-consistent registration whose metadata and tag name .mver/config.json (any case).
        String meta = git(repo, "show", "m@v1.0.0:.mver/models/m.json").ok().out()
                .replace("\"version\": \"1.0.0\"", "\"version\": \"3.0.0\"")
                .replaceAll("\"artifacts\": \\[[^\\]]*\\]", "\"artifacts\": [{\"path\": \".MVER/config.json\", "
                        + "\"type\": \"file\", \"sha256\": \"" + evil + "\", \"size\": " + size + "}]");
        Files2.write(repo.resolve(".mver/models/m.json"), meta);
        git(repo, "add", ".mver/models/m.json").ok();
        git(repo, "commit", "-qm", "forged").ok();
        String metaSha = Sha256.hash(meta.getBytes(StandardCharsets.UTF_8)).hex();
        String payload = "{\"schema\":\"mver/tag/v1\",\"model\":\"m\",\"version\":\"3.0.0\",\"seq\":9,"
                + "\"metadata_path\":\".mver/models/m.json\",\"metadata_sha256\":\"" + metaSha + "\",\"artifacts\":"
                + "[{\"path\":\".MVER/config.json\",\"type\":\"file\",\"sha256\":\"" + evil + "\",\"size\":" + size
                + "}],\"previous\":null,\"reason\":\"forged\"}";
        GitBinary.run(repo, Map.of(), List.of("git", "tag", "-a", "m@v3.0.0", "-m", "m v3.0.0: forged\n\n" + payload,
                "HEAD")).ok();
        // A pointer committed inside .mver names the same bytes.
        Files.write(repo.resolve(".mver/config.json.mver"), new PointerFile(
                ArtifactType.FILE, Sha256.ofHex(evil), size).toBytes());
        git(repo, "add", "-f", ".mver/config.json.mver").ok();
        git(repo, "commit", "-qm", "planted pointer").ok();
        byte[] config = Files.readAllBytes(repo.resolve(".mver/config.json"));

        assertEquals(6, cli.run("checkout", "m@v3.0.0").code());
        assertEquals(6, cli.run("checkout", "m@v3.0.0", "--to", tmp.resolve("out").toString()).code());
        assertTrue(cli.run("release", "--tag", "m@v3.0.0", "--out", tmp.resolve("rel").toString()).code() != 0);
        cli.run("checkout").ok();
        assertTrue(java.util.Arrays.equals(config, Files.readAllBytes(repo.resolve(".mver/config.json"))),
                "mver's config is never written as an artifact");
        assertEquals(6, cli.run("verify").code());
    }
}
