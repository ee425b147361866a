package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mver import lfs} with the real git-lfs: files move to mver in one commit, history stays as it was. */
class ImportLfsTest {
    @TempDir
    Path tmp;
    Path origin;
    String v1;
    String v2;
    String onnx;

    /** A repository whose models have git-lfs history: model.pkl in two versions, an ONNX file beside it. */
    @BeforeEach
    void lfsHistory() {
        assertEquals(0, GitBinary.run(tmp, Map.of(), List.of("git", "lfs", "version")).code(),
                "git-lfs is needed for this test (apt-get install git-lfs; .ci/run installs it)");
        origin = tmp.resolve("origin");
        git(tmp, "init", "-q", "-b", "main", origin.toString()).ok();
        git(origin, "lfs", "install", "--local").ok();
        git(origin, "lfs", "track", "*.pkl").ok();
        git(origin, "lfs", "track", "*.onnx").ok();
        v1 = Files2.sha256(Files2.random(origin.resolve("models/churn/model.pkl"), 200_000, 1));
        onnx = Files2.sha256(Files2.random(origin.resolve("models/churn/model.onnx"), 50_000, 2));
        Files2.write(origin.resolve("train.py"), "print('train')\n");
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "models in git-lfs").ok();
        v2 = Files2.sha256(Files2.random(origin.resolve("models/churn/model.pkl"), 200_000, 3));
        git(origin, "commit", "-qam", "retrained").ok();
    }

    private List<String> lfsFiles(Path repo) {
        return GitBinary.run(repo, Map.of(), List.of("git", "lfs", "ls-files", "--name-only")).ok().out().lines()
                .toList();
    }

    @Test
    void matched_files_move_to_mver_in_one_commit_and_the_rest_stay_in_lfs() {
        Cli cli = new Cli(origin).initRelaxed();
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "mver").ok();
        Cli.Result r = cli.run("import", "lfs", "*.pkl").ok();
        assertTrue(r.out().contains("models/churn/model.pkl") && r.out().contains("1 file moved"), r.out());

        assertEquals(List.of("models/churn/model.onnx"), lfsFiles(origin), "git lfs ls-files lists what stays");
        String attributes = Files2.read(origin.resolve(".gitattributes"));
        assertFalse(attributes.contains("*.pkl filter=lfs"), attributes);
        assertTrue(attributes.contains("*.onnx filter=lfs"), attributes);
        String head = git(origin, "show", "--stat", "--format=%s%n%b", "HEAD").ok().out();
        assertTrue(head.contains("mver: move 1 file from git-lfs to mver") && head.contains("models/churn/model.pkl"),
                head);
        assertTrue(git(origin, "ls-files").ok().out().contains("models/churn/model.pkl.mver\n"));
        assertEquals(v2, Files2.sha256(origin.resolve("models/churn/model.pkl")), "the bytes are in the work tree");
        assertEquals("", git(origin, "status", "--porcelain").ok().out(), "everything committed");

        // History as it was: the earlier commits still hold git-lfs's pointers.
        assertTrue(git(origin, "show", "HEAD~1:models/churn/model.pkl").ok().out().startsWith("version https://git-lfs"));

        // The moved file is an artifact like any other: registered, it checks out byte for byte.
        cli.run("register", "churn", "--version", "2.0.0", "-m", "from git-lfs", "--artifact", "models/churn/model.pkl")
                .ok();
        Path out = tmp.resolve("out");
        cli.run("checkout", "churn@v2.0.0", "--to", out.toString()).ok();
        assertEquals(v2, Files2.sha256(out.resolve("models/churn/model.pkl")));
    }

    @Test
    void a_clone_without_the_lfs_objects_fetches_them_and_every_lfs_file_moves() {
        Path clone = tmp.resolve("clone");
        GitBinary.run(tmp, Map.of("GIT_LFS_SKIP_SMUDGE", "1"), List.of("git", "clone", "-q", origin.toString(),
                clone.toString())).ok();
        assertTrue(Files2.read(clone.resolve("models/churn/model.pkl")).startsWith("version https://git-lfs"));
        Cli cli = new Cli(clone).initRelaxed();
        git(clone, "add", "-A").ok();
        git(clone, "commit", "-qm", "mver").ok();
        Cli.Result r = cli.run("import", "lfs", "--json").ok();
        assertTrue(r.out().contains("\"fetched\": true"), r.out());
        assertEquals(List.of(), lfsFiles(clone));
        assertFalse(Files2.read(clone.resolve(".gitattributes")).contains("filter=lfs"));
        assertEquals(v2, Files2.sha256(clone.resolve("models/churn/model.pkl")));
        assertEquals(onnx, Files2.sha256(clone.resolve("models/churn/model.onnx")));
        // Both earlier versions are still git-lfs pointers in history (import, mver, retrained, first).
        for (String[] at : new String[][] {{"HEAD~2", v2}, {"HEAD~3", v1}}) {
            assertEquals(at[1], GitBinary.run(clone, Map.of(), List.of("sh", "-c", "git cat-file -p " + at[0]
                    + ":models/churn/model.pkl | sed -n 's/^oid sha256://p'")).ok().out().strip(), at[0]);
        }
    }

    @Test
    void a_broad_lfs_line_that_stays_is_kept_off_the_pointers_and_local_edits_are_refused() throws Exception {
        Files2.write(origin.resolve(".gitattributes"), "models/** filter=lfs diff=lfs merge=lfs -text\n"
                + "*.h5 filter=lfs diff=lfs merge=lfs -text\n");
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "one broad line").ok();
        Cli cli = new Cli(origin).initRelaxed();
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "mver").ok();
        Files2.random(origin.resolve("models/churn/model.pkl"), 1000, 9); // not what git-lfs recorded
        Map<String, String> before = HardeningTest.withoutCache(Files2.snapshot(origin));
        assertTrue(cli.run("import", "lfs", "*.pkl").fails(2).err().contains("has changes git-lfs has not recorded"));
        assertEquals(before, HardeningTest.withoutCache(Files2.snapshot(origin)));
        git(origin, "checkout", "--", "models/churn/model.pkl").ok();

        cli.run("import", "lfs", "*.pkl").ok();
        String attributes = Files2.read(origin.resolve(".gitattributes"));
        assertTrue(attributes.contains("models/** filter=lfs"), "still covers the ONNX file: " + attributes);
        assertTrue(attributes.contains("*.h5 filter=lfs"), "a line for no file moved stays: " + attributes);
        assertTrue(attributes.contains("*.mver -filter -diff -merge -text"), attributes);
        assertEquals("", git(origin, "status", "--porcelain").ok().out(), "the pointers are not git-lfs's to clean");
        assertTrue(Files2.read(origin.resolve("models/churn/model.pkl.mver")).startsWith("mver-pointer"));
        assertEquals(List.of("models/churn/model.onnx"), lfsFiles(origin));
    }

    @Test
    void staged_changes_unknown_patterns_and_a_tampered_object_are_refused_with_nothing_moved() throws Exception {
        Cli cli = new Cli(origin).initRelaxed();
        git(origin, "add", "-A").ok();
        git(origin, "commit", "-qm", "mver").ok();
        Files2.write(origin.resolve("train.py"), "print('changed')\n");
        git(origin, "add", "train.py").ok();
        assertTrue(cli.run("import", "lfs").fails(2).err().contains("staged changes"));
        git(origin, "reset", "-q").ok();
        git(origin, "checkout", "-q", "--", "train.py").ok();
        assertTrue(cli.run("import", "lfs", "*.h5").fails(2).err().contains("no file tracked by git-lfs matches '*.h5'"));

        // git-lfs's copy of the object no longer matches its name: refused, nothing staged or committed.
        String oid = GitBinary.run(origin, Map.of(), List.of("sh", "-c",
                "git cat-file -p HEAD:models/churn/model.pkl | sed -n 's/^oid sha256://p'")).ok().out().strip();
        Path object = origin.resolve(".git/lfs/objects/" + oid.substring(0, 2) + "/" + oid.substring(2, 4) + "/" + oid);
        Files2.random(object, 200_000, 99);
        String head = git(origin, "rev-parse", "HEAD").ok().out();
        Cli.Result r = cli.run("import", "lfs", "*.pkl").fails(6);
        assertTrue(r.err().contains("corrupt"), r.err());
        assertEquals(head, git(origin, "rev-parse", "HEAD").ok().out());
        assertEquals(List.of("models/churn/model.onnx", "models/churn/model.pkl"), lfsFiles(origin));
    }
}
