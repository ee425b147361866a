package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A teammate's clone after `git pull`, a branch switch or a checkout of an older version: the work tree holds bytes
 * that are a registered version, and nothing may take them for new work (status, check, the hook) or publish them
 * again as a new version (register, register --retry).
 */
class WorkTreeFollowsGitTest {
    @TempDir
    Path tmp;

    Path a;
    Cli ca;
    Path b;
    Cli cb;
    String v1;
    String v2;

    /** A registers c@v1.0.0 and pushes; B clones and checks out; A registers c@v1.1.0 and pushes. */
    @BeforeEach
    void setUp() {
        a = Repos.withOrigin(tmp, "a", true);
        ca = new Cli(a);
        ca.run("remote", "add", "shared", "../store", "--default").ok();
        v1 = Files2.sha256(Files2.random(a.resolve("m.pkl"), 40_000, 1));
        ca.run("register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        ca.run("push").ok();
        b = tmp.resolve("b");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), b.toString()).ok();
        cb = ca.in(b);
        cb.run("checkout").ok();
        v2 = Files2.sha256(Files2.random(a.resolve("m.pkl"), 40_000, 2));
        ca.run("register", "c", "--bump", "minor", "-m", "retrained").ok();
        ca.run("push").ok();
    }

    @Test
    void after_a_pull_status_names_the_version_the_bytes_are_and_never_advises_registering_them() {
        git(b, "pull", "-q").ok();
        assertEquals(v1, Files2.sha256(b.resolve("m.pkl")), "git leaves the ignored artifact alone");

        String status = cb.run("status").ok().out();
        assertTrue(status.contains("m.pkl") && status.contains("holds c@v1.0.0; pointer wants c@v1.1.0 (run: mver checkout)"),
                status);
        assertFalse(status.contains("register a new version"), status);
        assertFalse(status.startsWith("clean"), status);
        String json = cb.run("status", "--json").ok().out();
        assertTrue(json.contains("\"state\": \"stale\"") && json.contains("\"holds\": \"c@v1.0.0\"")
                && json.contains("\"wants\": \"c@v1.1.0\""), json);

        cb.run("checkout").ok();
        assertEquals(v2, Files2.sha256(b.resolve("m.pkl")));
        assertTrue(cb.run("status").ok().out().startsWith("clean"));
    }

    @Test
    void a_pull_that_brought_no_tags_is_named_and_never_registered_again() {
        git(b, "pull", "-q", "--no-tags").ok();
        cb.run("checkout").ok();
        assertEquals(v2, Files2.sha256(b.resolve("m.pkl")));
        String status = cb.run("status").ok().out();
        assertTrue(status.contains("untagged") && status.contains("holds c@v1.1.0 from this branch's record, but this "
                + "clone has no tag c@v1.1.0 (run: git fetch --tags)"), status);
        assertFalse(status.contains("register a new version"), status);
        Cli.Result refused = cb.run("register", "c", "--bump", "minor", "-m", "again").fails(5);
        assertTrue(refused.err().contains("git fetch --tags"), refused.err());
        git(b, "fetch", "-q", "--tags").ok();
        assertTrue(cb.run("status").ok().out().startsWith("clean"));
    }

    @Test
    void register_refuses_a_stale_work_tree_as_a_silent_rollback_and_force_records_what_it_repeats() {
        git(b, "pull", "-q").ok();
        Map<String, String> before = Files2.snapshot(b);
        String tags = git(b, "tag", "-l").ok().out();

        Cli.Result refused = cb.run("register", "c", "--bump", "auto", "-m", "whoops").fails(3);
        assertTrue(refused.err().contains("m.pkl holds the bytes of c@v1.0.0, older than the latest c@v1.1.0"),
                refused.err());
        assertTrue(refused.err().contains("mver checkout") && refused.err().contains("mver rollback c STAGE"),
                refused.err());
        Cli.Result retried = cb.run("register", "c", "--bump", "auto", "-m", "whoops", "--retry").fails(3);
        assertTrue(retried.err().contains("c@v1.0.0"), retried.err());
        assertEquals(tags, git(b, "tag", "-l").ok().out(), "no version made");
        Map<String, String> after = Files2.snapshot(b);
        after.keySet().removeIf(k -> k.startsWith(".git/"));
        before.keySet().removeIf(k -> k.startsWith(".git/"));
        assertEquals(before, after, "nothing in the work tree changed");

        cb.run("register", "c", "--bump", "minor", "-m", "back to the first model, on purpose", "--force").ok();
        String record = Files2.read(b.resolve(".mver/models/c.json"));
        assertTrue(record.contains("\"repeats\": \"c@v1.0.0\""), record);
        assertTrue(record.contains("\"version\": \"1.2.0\""), record);
        // The note belongs to that registration alone.
        Files2.random(b.resolve("m.pkl"), 40_000, 3);
        cb.run("register", "c", "--bump", "minor", "-m", "new").ok();
        assertFalse(Files2.read(b.resolve(".mver/models/c.json")).contains("repeats"));
    }

    @Test
    void a_new_model_that_puts_one_file_back_to_an_older_versions_bytes_is_no_rollback() {
        String labels1 = "a\nb\n";
        Files2.write(a.resolve("labels.txt"), labels1);
        Files2.random(a.resolve("n.pkl"), 30_000, 1);
        ca.run("register", "n", "--version", "1.0.0", "-m", "first", "--artifact", "n.pkl", "--artifact",
                "labels.txt").ok();
        Files2.write(a.resolve("labels.txt"), "a\nb\nc\n");
        Files2.random(a.resolve("n.pkl"), 30_000, 2);
        ca.run("register", "n", "--bump", "minor", "-m", "more labels").ok();
        // The label change was a mistake; the model is retrained on the first labels: new bytes, not a rollback.
        Files2.write(a.resolve("labels.txt"), labels1);
        Files2.random(a.resolve("n.pkl"), 30_000, 3);
        ca.run("register", "n", "--bump", "minor", "-m", "retrained on the first labels").ok();
        assertFalse(Files2.read(a.resolve(".mver/models/n.json")).contains("repeats"));
        // Both files back to the first version's: that is one.
        ca.run("checkout", "n@v1.0.0").ok();
        git(a, "commit", "-qm", "try the first model").ok();
        assertEquals(3, ca.run("register", "n", "--bump", "minor", "-m", "again").code());
    }

    @Test
    void a_work_tree_checkout_never_overwrites_an_unstaged_edit_of_the_record() {
        String record = Files2.read(a.resolve(".mver/models/c.json"));
        Files2.write(a.resolve(".mver/models/c.json"), record.replace("retrained", "retrained (edited)"));
        Cli.Result refused = ca.run("checkout", "c@v1.0.0").fails(5);
        assertTrue(refused.err().contains(".mver/models/c.json has changes that are not staged"), refused.err());
        assertTrue(Files2.read(a.resolve(".mver/models/c.json")).contains("(edited)"));
        ca.run("checkout", "c@v1.0.0", "--force").ok();
        assertFalse(Files2.read(a.resolve(".mver/models/c.json")).contains("(edited)"));
    }

    @Test
    void the_latest_versions_bytes_register_again_only_as_a_metadata_correction() {
        Cli.Result refused = ca.run("register", "c", "--bump", "minor", "-m", "same bytes",
                "--metric", "auc=0.9").fails(3);
        assertTrue(refused.err().contains("the artifacts are c@v1.1.0's bytes, unchanged"), refused.err());
        ca.run("register", "c", "--bump", "patch", "-m", "metric was missing", "--metric", "auc=0.9").ok();
        assertFalse(Files2.read(a.resolve(".mver/models/c.json")).contains("repeats"));
    }

    @Test
    void an_older_version_checked_out_into_the_work_tree_is_named_by_status_and_check_agrees() {
        git(b, "pull", "-q").ok();
        cb.run("checkout", "c@v1.0.0").ok();
        assertEquals(v1, Files2.sha256(b.resolve("m.pkl")));
        assertTrue(Files2.read(b.resolve(".mver/models/c.json")).contains("\"version\": \"1.0.0\""),
                "the branch's record follows the version");
        assertEquals(0, cb.run("check").code(), cb.run("check").out());
        String status = cb.run("status").ok().out();
        assertTrue(status.contains("holds c@v1.0.0, not the latest c@v1.1.0 (run: mver checkout c@v1.1.0"), status);
        assertFalse(status.contains("register a new version"), status);

        // Only the pointer moved back (a file checkout from git): check names the version it holds.
        cb.run("checkout", "c@v1.1.0").ok();
        git(b, "checkout", "c@v1.0.0", "--", "m.pkl.mver").ok();
        Cli.Result check = cb.run("check");
        assertEquals(3, check.code(), check.out() + check.err());
        assertTrue(check.err().contains("m.pkl holds c@v1.0.0; c's record wants c@v1.1.0"), check.err());
        assertFalse(check.err().contains("mver register"), check.err());
    }

    @Test
    void pull_of_a_version_leaves_a_branch_that_status_and_check_both_call_consistent() {
        cb.run("pull", "c").ok();
        assertEquals(v2, Files2.sha256(b.resolve("m.pkl")));
        assertTrue(cb.run("status").ok().out().startsWith("clean"), cb.run("status").out());
        Cli.Result check = cb.run("check");
        assertEquals(0, check.code(), check.out() + check.err());
        git(b, "commit", "-qm", "use c v1.1.0").ok();
        assertEquals("", git(b, "status", "--porcelain").ok().out());
    }

    @Test
    void fetch_says_it_fetched_and_a_clone_whose_config_has_no_remote_is_told_why() throws Exception {
        Cli.Result fetched = cb.run("fetch").ok();
        assertTrue(fetched.out().startsWith("shared: 0 objects downloaded") && fetched.out().contains("fetched from origin")
                && !fetched.out().contains("updated on"), fetched.out());

        // A teammate who added a remote but never committed the config: the clone is told exactly that.
        Path solo = Repos.withOrigin(Files.createDirectories(tmp.resolve("solo")), "s", true);
        Files2.random(solo.resolve("m.pkl"), 1000, 1);
        Cli cs = ca.in(solo);
        cs.run("register", "s", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        git(solo, "push", "-q", "origin", "HEAD", "--tags").ok();
        cs.run("remote", "add", "shared", "../store", "--default").ok();
        cs.run("push").ok();
        Path clone = tmp.resolve("solo-clone");
        git(tmp, "clone", "-q", tmp.resolve("solo/origin.git").toString(), clone.toString()).ok();
        Cli.Result refused = ca.in(clone).run("checkout").fails(4);
        assertTrue(refused.err().contains("no artifact remote in .mver/config.json on this branch: if a teammate "
                + "added one, it reaches this clone once they commit and push .mver/config.json"), refused.err());
    }

    @Test
    void checkout_to_a_folder_holding_other_files_is_refused_unless_forced() throws Exception {
        Path out = tmp.resolve("out");
        Files2.write(out.resolve("notes.txt"), "mine\n");
        Cli.Result refused = ca.run("checkout", "c@v1.0.0", "--to", out.toString()).fails(5);
        assertTrue(refused.err().contains("notes.txt, which is not part of c@v1.0.0"), refused.err());
        assertFalse(Files.exists(out.resolve("m.pkl")), "nothing written");

        ca.run("checkout", "c@v1.0.0", "--to", out.toString(), "--force").ok();
        assertEquals(v1, Files2.sha256(out.resolve("m.pkl")));
        // A folder holding only this version's files takes the same checkout again.
        Path again = tmp.resolve("again");
        ca.run("checkout", "c@v1.0.0", "--to", again.toString()).ok();
        ca.run("checkout", "c@v1.0.0", "--to", again.toString()).ok();
        Cli.Result other = ca.run("checkout", "c@v1.1.0", "--to", again.toString());
        assertEquals(0, other.code(), "the same files of another version are replaced: " + other.err());
    }
}
