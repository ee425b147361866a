package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.DvcFixtures;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mver import dvc} over repositories in DVC's file formats (DVC 3 and DVC 2 caches). */
class ImportDvcTest {
    @TempDir
    Path tmp;

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static String sha256(byte[] b) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void dvc_files_lock_outputs_and_directories_move_and_dvc_yaml_artifacts_become_models() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        DvcFixtures.init(repo);
        byte[] model = random(300_000, 1);
        String modelMd5 = DvcFixtures.cache(repo, model, false);
        DvcFixtures.dvcFile(repo.resolve("baseline.pkl.dvc"), modelMd5, model.length, null, "baseline.pkl", false);
        Files2.write(repo.resolve(".gitignore"), "/baseline.pkl\n");
        byte[] a = random(1000, 2);
        byte[] b = "id,label\n1,0\n".getBytes(StandardCharsets.UTF_8);
        String dirMd5 = DvcFixtures.cacheDir(repo, Map.of("a.bin", a, "nested/b.csv", b));
        DvcFixtures.dvcFile(repo.resolve("data/features.dvc"), dirMd5, a.length + b.length, 2, "features", false);
        byte[] trained = random(200_000, 3);
        String trainedMd5 = DvcFixtures.cache(repo, trained, false);
        Files2.write(repo.resolve("train.py"), "print('train')\n");
        Files2.write(repo.resolve("dvc.yaml"), String.join("\n",
                "stages:", "  train:", "    cmd: python train.py", "    deps:", "    - train.py", "    outs:",
                "    - models/churn.pkl", "artifacts:", "  churn-model:", "    path: models/churn.pkl",
                "    type: model", "    desc: Churn classifier", "    labels:", "    - tabular", ""));
        Files2.write(repo.resolve("dvc.lock"), String.join("\n",
                "schema: '2.0'", "stages:", "  train:", "    cmd: python train.py", "    deps:",
                "    - path: train.py", "      hash: md5", "      md5: " + DvcFixtures.md5("print('train')\n".getBytes(
                        StandardCharsets.UTF_8)), "      size: 15", "    outs:", "    - path: models/churn.pkl",
                "      hash: md5", "      md5: " + trainedMd5, "      size: " + trained.length, ""));
        git(repo, "add", "-A").ok();
        git(repo, "commit", "-qm", "dvc project").ok();

        Cli.Result r = cli.run("import", "dvc").ok();
        assertTrue(r.out().contains("3 outputs moved from DVC"), r.out());
        assertTrue(r.out().contains("churn-model@v1.0.0"), r.out());

        assertEquals(sha256(model), sha256(Files.readAllBytes(repo.resolve("baseline.pkl"))));
        assertEquals(sha256(b), sha256(Files.readAllBytes(repo.resolve("data/features/nested/b.csv"))));
        String files = git(repo, "ls-files").ok().out();
        assertTrue(files.contains("baseline.pkl.mver\n") && files.contains("data/features.mver\n")
                && files.contains("models/churn.pkl.mver\n"), files);
        assertFalse(files.contains("baseline.pkl.dvc") || files.contains("data/features.dvc"), files);
        assertTrue(files.contains("dvc.lock\n") && files.contains("dvc.yaml\n"), "the pipeline stays: " + files);
        assertTrue(git(repo, "show", "--format=%s", "--stat", "HEAD~1").ok().out()
                .contains("mver: move 3 outputs from DVC to mver"));
        assertTrue(Files2.read(repo.resolve("data/features.mver")).contains("type dir"));

        String show = cli.run("show", "churn-model@v1.0.0", "--json").ok().out();
        assertTrue(show.contains("\"type\": \"model\"") && show.contains("Churn classifier"), show);
        Path out = tmp.resolve("out");
        cli.run("checkout", "churn-model@v1.0.0", "--to", out.toString()).ok();
        assertEquals(sha256(trained), sha256(Files.readAllBytes(out.resolve("models/churn.pkl"))));

        // Again: dvc.lock is still there, but its output is mver's now; nothing moves, nothing is committed.
        String head = git(repo, "rev-parse", "HEAD").ok().out();
        assertTrue(cli.run("import", "dvc").ok().out().contains("nothing to move"));
        assertEquals(head, git(repo, "rev-parse", "HEAD").ok().out());
    }

    @Test
    void uncommitted_edits_and_extra_files_in_an_output_are_refused_before_anything_is_written() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        DvcFixtures.init(repo);
        byte[] model = random(10_000, 6);
        String md5 = DvcFixtures.cache(repo, model, false);
        DvcFixtures.dvcFile(repo.resolve("sub/m.pkl.dvc"), md5, model.length, null, "m.pkl", false);
        String dirMd5 = DvcFixtures.cacheDir(repo, Map.of("a.bin", random(100, 7)));
        DvcFixtures.dvcFile(repo.resolve("data.dvc"), dirMd5, 100, 1, "data", false);
        Files2.write(repo.resolve(".gitignore"), "/data\n/sub/m.pkl\n");
        git(repo, "add", "-A").ok();
        git(repo, "commit", "-qm", "dvc").ok();
        Files.write(repo.resolve("sub/m.pkl"), random(10_000, 8)); // edited since dvc add
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(repo));
        Cli.Result r = cli.in(repo.resolve("sub")).run("import", "dvc").fails(2);
        assertTrue(r.err().contains("sub/m.pkl has changes DVC's record does not hold"), r.err());
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(repo)));

        Files.write(repo.resolve("sub/m.pkl"), model); // as DVC recorded it
        Files2.write(repo.resolve("data/new.csv"), "x"); // not in DVC's record of data/
        r = cli.in(repo.resolve("sub")).run("import", "dvc").fails(2);
        assertTrue(r.err().contains("data/new.csv is not in DVC's record of data"), r.err());
        Files.delete(repo.resolve("data/new.csv"));

        // From a subfolder too, every path is the repository's.
        cli.in(repo.resolve("sub")).run("import", "dvc").ok();
        assertTrue(git(repo, "ls-files").ok().out().contains("sub/m.pkl.mver\n"));
        assertFalse(Files.exists(repo.resolve("sub/sub")));
    }

    @Test
    void a_dvc2_cache_and_a_text_file_hashed_with_lf_endings_are_read() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        DvcFixtures.init(repo);
        byte[] crlf = "a,b\r\n1,2\r\n".getBytes(StandardCharsets.UTF_8);
        DvcFixtures.cache(repo, crlf, true);
        // DVC 2 hashed text with its CRLF made LF, and cached the bytes as they were.
        String lfMd5 = DvcFixtures.md5("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8));
        Path cached = repo.resolve(".dvc/cache/" + DvcFixtures.md5(crlf).substring(0, 2) + "/"
                + DvcFixtures.md5(crlf).substring(2));
        Path renamed = repo.resolve(".dvc/cache/" + lfMd5.substring(0, 2) + "/" + lfMd5.substring(2));
        Files.createDirectories(renamed.getParent());
        Files.move(cached, renamed);
        DvcFixtures.dvcFile(repo.resolve("labels.csv.dvc"), lfMd5, crlf.length, null, "labels.csv", true);
        git(repo, "add", "-A").ok();
        git(repo, "commit", "-qm", "dvc 2").ok();
        cli.run("import", "dvc", "labels.csv.dvc").ok();
        assertEquals(sha256(crlf), sha256(Files.readAllBytes(repo.resolve("labels.csv"))), "bytes kept as cached");
    }

    @Test
    void a_corrupt_or_missing_cache_object_is_refused_and_nothing_is_committed() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        DvcFixtures.init(repo);
        byte[] model = random(10_000, 4);
        String md5 = DvcFixtures.cache(repo, model, false);
        DvcFixtures.dvcFile(repo.resolve("m.pkl.dvc"), md5, model.length, null, "m.pkl", false);
        git(repo, "add", "-A").ok();
        git(repo, "commit", "-qm", "dvc").ok();
        String head = git(repo, "rev-parse", "HEAD").ok().out();
        Path cached = repo.resolve(".dvc/cache/files/md5/" + md5.substring(0, 2) + "/" + md5.substring(2));
        Files.write(cached, random(10_000, 5));
        Cli.Result r = cli.run("import", "dvc").fails(6);
        assertTrue(r.err().contains("does not match its MD5") && r.err().contains("dvc pull"), r.err());
        Files.delete(cached);
        r = cli.run("import", "dvc").fails(4);
        assertTrue(r.err().contains("DVC's cache has no copy of m.pkl") && r.err().contains("dvc pull"), r.err());
        assertEquals(head, git(repo, "rev-parse", "HEAD").ok().out());
        assertTrue(git(repo, "ls-files").ok().out().contains("m.pkl.dvc"));
        assertFalse(Files.exists(repo.resolve("m.pkl")));
        assertTrue(cli.run("import", "dvc", "nope.dvc").fails(4).err().contains("no such DVC file: nope.dvc"));
    }
}
