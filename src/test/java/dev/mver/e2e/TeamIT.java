package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two people, one bare origin, one folder remote and mver's hooks installed, working the way teams do: plain
 * `git pull`, branch switches, registrations on both sides. Nobody runs `mver checkout`: the hooks keep every
 * artifact in step with its pointer.
 */
class TeamIT {
    @TempDir
    Path tmp;

    Path a;
    Path b;

    static GitBinary.Result mver(Path dir, String... args) {
        return MverProcess.run(dir, args);
    }

    static GitBinary.Result gitIn(Path dir, Map<String, String> env, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        return GitBinary.run(dir, env, cmd);
    }

    @BeforeEach
    void setUp() {
        GitBinary.git(tmp, "init", "-q", "--bare", tmp.resolve("origin.git").toString()).ok();
        a = tmp.resolve("a");
        GitBinary.git(tmp, "init", "-q", a.toString()).ok();
        git(a, "remote", "add", "origin", tmp.resolve("origin.git").toString()).ok();
        mver(a, "init").ok();
        Repos.relaxPolicy(a);
        GitBinary.Result added = mver(a, "remote", "add", "shared", "../store", "--default").ok();
        assertTrue(added.out().contains("teammates' clones see it once .mver/config.json is committed and pushed"),
                added.out());
        mver(a, "hook", "install").ok();
    }

    private Path cloneWithHooks(String name) {
        Path dir = tmp.resolve(name);
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), dir.toString()).ok();
        mver(dir, "hook", "install").ok();
        mver(dir, "checkout").ok();
        return dir;
    }

    @Test
    void pulls_branch_switches_and_registrations_on_both_sides_keep_every_work_tree_in_step() throws Exception {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("1.0.0", Files2.sha256(Files2.random(a.resolve("models/m.pkl"), 300_000, 1)));
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "models/m.pkl").ok();
        GitBinary.Result pushed = mver(a, "push").ok();
        assertEquals(1, pushed.out().lines().count(), "one summary, not the hook's too: " + pushed.out());
        assertTrue(pushed.out().contains("uploaded") && pushed.out().contains("updated on origin"), pushed.out());
        git(a, "branch", "-q", "-u", "origin/" + currentBranch(a)).ok(); // as `git push -u` would

        b = cloneWithHooks("b");
        assertEquals(versions.get("1.0.0"), Files2.sha256(b.resolve("models/m.pkl")));

        // A registers the next version; B only runs git pull.
        versions.put("1.1.0", Files2.sha256(Files2.random(a.resolve("models/m.pkl"), 300_000, 2)));
        mver(a, "register", "c", "--bump", "minor", "-m", "retrained").ok();
        mver(a, "push").ok();
        GitBinary.Result pulled = gitIn(b, Map.of(), "pull", "-q").ok();
        assertEquals(versions.get("1.1.0"), Files2.sha256(b.resolve("models/m.pkl")), pulled.err());
        assertTrue(pulled.err().contains("restored models/m.pkl"), pulled.err());
        assertTrue(mver(b, "status").ok().out().startsWith("clean"), mver(b, "status").out());

        // A branch switch to the first version's commit and back.
        git(b, "checkout", "-q", "-b", "old", "c@v1.0.0").ok();
        assertEquals(versions.get("1.0.0"), Files2.sha256(b.resolve("models/m.pkl")));
        git(b, "checkout", "-q", "-").ok();
        assertEquals(versions.get("1.1.0"), Files2.sha256(b.resolve("models/m.pkl")));
        // A checkout that moves no pointer starts no mver at all: nothing is printed.
        GitBinary.Result plain = gitIn(b, Map.of(), "checkout", "-q", "-b", "feature");
        assertEquals("", plain.ok().err());
        git(b, "checkout", "-q", "-").ok();

        // B registers the next version and pushes; A pulls.
        versions.put("1.2.0", Files2.sha256(Files2.random(b.resolve("models/m.pkl"), 300_000, 3)));
        mver(b, "register", "c", "--bump", "minor", "-m", "retrained by B").ok();
        mver(b, "push").ok();
        gitIn(a, Map.of(), "pull", "-q").ok();
        assertEquals(versions.get("1.2.0"), Files2.sha256(a.resolve("models/m.pkl")));

        for (Path dir : List.of(a, b)) {
            assertTrue(mver(dir, "status").ok().out().startsWith("clean"), dir + ": " + mver(dir, "status").out());
            assertEquals(0, mver(dir, "verify", "--all").code(), dir + ": " + mver(dir, "verify", "--all").out());
        }

        // A third, fresh clone rebuilds every version byte for byte.
        Path c = tmp.resolve("c");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), c.toString()).ok();
        for (Map.Entry<String, String> v : versions.entrySet()) {
            Path out = tmp.resolve("release-" + v.getKey());
            mver(c, "checkout", "c@v" + v.getKey(), "--to", out.toString()).ok();
            assertEquals(v.getValue(), Files2.sha256(out.resolve("models/m.pkl")), v.getKey());
        }
    }

    @Test
    void a_plain_git_push_of_events_numbered_like_the_remotes_is_stopped_by_the_pre_push_hook() throws Exception {
        Files2.random(a.resolve("models/m.pkl"), 300_000, 1);
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "models/m.pkl").ok();
        mver(a, "push").ok();
        b = cloneWithHooks("b");
        // Both promote at once, each numbering its event 2; both push with plain git.
        mver(a, "promote", "c@v1.0.0", "staging", "-m", "qa").ok();
        mver(b, "promote", "c@v1.0.0", "production", "-m", "ship").ok();
        gitIn(a, Map.of(), "push", "-q", "origin", "--tags").ok();
        GitBinary.Result refused = gitIn(b, Map.of(), "push", "-q", "origin", "--tags");
        assertTrue(refused.code() != 0, "the hook stops the push: " + refused.out() + refused.err());
        assertTrue(refused.err().contains("mver push --retry"), refused.err());
        assertTrue(git(tmp.resolve("origin.git"), "tag", "-l", "c#production#*").ok().out().isBlank(),
                "nothing of B's was published");
        // The way out the message names: renumbered after A's, then published.
        mver(b, "push", "--retry").ok();
        assertTrue(git(tmp.resolve("origin.git"), "tag", "-l", "c#production#3").ok().out().contains("c#production#3"));
        mver(b, "verify").ok();
    }

    @Test
    void the_hooks_never_overwrite_unsaved_bytes_nor_fail_the_git_command_and_can_be_told_not_to_fetch() {
        String first = Files2.sha256(Files2.random(a.resolve("m.pkl"), 50_000, 1));
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        mver(a, "push").ok();
        b = cloneWithHooks("b");
        Files2.random(a.resolve("m.pkl"), 50_000, 2);
        mver(a, "register", "c", "--bump", "minor", "-m", "second").ok();
        mver(a, "push").ok();

        // Unsaved work in B is left alone; git pull still succeeds.
        String unsaved = Files2.sha256(Files2.random(b.resolve("m.pkl"), 50_000, 9));
        GitBinary.Result pulled = gitIn(b, Map.of(), "pull", "-q").ok();
        assertEquals(unsaved, Files2.sha256(b.resolve("m.pkl")));
        assertTrue(pulled.err().contains("left m.pkl as it is: its bytes are not in the cache"), pulled.err());

        // A commit without mver at all (the work tree then has no config): nothing to follow, nothing said.
        String empty = git(b, "commit-tree", "4b825dc642cb6eb9a060e54bf8d69288fbee4904", "-m", "empty").ok().out().strip();
        GitBinary.Result noMver = gitIn(b, Map.of(), "checkout", "-q", empty);
        assertEquals("", noMver.ok().err());
        git(b, "checkout", "-q", "-").ok();

        // With fetching turned off the hook names the command instead.
        git(b, "checkout", "-q", "-b", "old", "c@v1.0.0").ok(); // restores nothing: the bytes are unsaved
        mver(b, "checkout", "--force").ok();
        assertEquals(first, Files2.sha256(b.resolve("m.pkl")));
        Files2.write(b.resolve(".mver/config.json"), Files2.read(b.resolve(".mver/config.json"))
                .replaceFirst("\\{", "{\"auto_fetch\": false, "));
        // B's cache never got the second version: its pull left the unsaved bytes alone and fetched nothing.
        GitBinary.Result back = gitIn(b, Map.of(), "checkout", "-q", "-");
        assertEquals(0, back.code(), back.err());
        assertTrue(back.err().contains("m.pkl is not in the cache; run: mver checkout"), back.err());
        assertEquals(first, Files2.sha256(b.resolve("m.pkl")), "nothing overwritten");

        // An mver that cannot start does not fail the checkout either.
        GitBinary.Result broken = gitIn(b, Map.of("MVER", "/bin/false"), "checkout", "-q", "old");
        assertEquals(0, broken.code(), broken.err());
        assertTrue(broken.err().contains("run: mver checkout"), broken.err());
    }

    @Test
    void a_pull_with_rebase_and_a_new_linked_work_tree_get_the_pointers_bytes() {
        Files2.random(a.resolve("m.pkl"), 50_000, 1);
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        mver(a, "push").ok();
        b = cloneWithHooks("b");
        Files2.write(b.resolve("notes.txt"), "B's own work\n");
        git(b, "add", "notes.txt").ok();
        git(b, "commit", "-qm", "notes").ok();
        String second = Files2.sha256(Files2.random(a.resolve("m.pkl"), 50_000, 2));
        mver(a, "register", "c", "--bump", "minor", "-m", "second").ok();
        mver(a, "push").ok();

        GitBinary.Result rebased = gitIn(b, Map.of(), "pull", "-q", "--rebase");
        assertEquals(0, rebased.code(), rebased.err());
        assertEquals(second, Files2.sha256(b.resolve("m.pkl")), rebased.err());

        Path linked = tmp.resolve("b-linked");
        GitBinary.Result added = gitIn(b, Map.of(), "worktree", "add", "-q", linked.toString(), "c@v1.0.0");
        assertEquals(0, added.code(), added.err());
        assertTrue(Files.isRegularFile(linked.resolve("m.pkl")), "the new work tree got its artifact: " + added.err());
        String status = mver(linked, "status").ok().out();
        assertTrue(status.contains("holds c@v1.0.0, not the latest c@v1.1.0"), status); // as checked out, on purpose
    }

    @Test
    void hooks_of_other_tools_keep_running_git_lfs_included() throws Exception {
        Path lfsHome = Files.createDirectories(tmp.resolve("home"));
        Map<String, String> home = Map.of("HOME", lfsHome.toString());
        mver(a, "hook", "uninstall").ok();
        GitBinary.Result lfs = GitBinary.run(a, home, List.of("git", "lfs", "install", "--local"));
        org.junit.jupiter.api.Assumptions.assumeTrue(lfs.code() == 0, "git-lfs is not installed");
        Path hooks = a.resolve(".git/hooks");
        Files2.write(hooks.resolve("post-checkout"), Files2.read(hooks.resolve("post-checkout"))
                + "echo lfs-post-checkout-ran >> \"$(git rev-parse --git-dir)/lfs-ran\"\n");
        String installed = mver(a, "hook", "install").ok().out();
        assertTrue(installed.contains("post-checkout.mver-chained"), installed);
        assertTrue(Files.exists(hooks.resolve("post-merge.mver-chained")), "git-lfs's post-merge kept");

        Files2.random(a.resolve("m.pkl"), 50_000, 1);
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        String v1 = Files2.sha256(a.resolve("m.pkl"));
        Files2.random(a.resolve("m.pkl"), 50_000, 2);
        mver(a, "register", "c", "--bump", "minor", "-m", "second").ok();
        GitBinary.Result co = GitBinary.run(a, home, List.of("git", "checkout", "-q", "c@v1.0.0"));
        assertEquals(0, co.code(), co.err());
        assertEquals(v1, Files2.sha256(a.resolve("m.pkl")), "mver's part ran");
        assertTrue(Files.exists(a.resolve(".git/lfs-ran")), "git-lfs's part ran");

        mver(a, "hook", "uninstall").ok();
        assertTrue(Files2.read(hooks.resolve("post-checkout")).contains("git lfs post-checkout"),
                "git-lfs's hook put back");
        assertFalse(Files.exists(hooks.resolve("post-checkout.mver-chained")));
    }

    @Test
    void hooks_installed_from_a_folder_with_a_space_in_its_name_still_start_mver() throws Exception {
        Path spaced = Files.createDirectories(tmp.resolve("tools dir"));
        for (String f : List.of("mver", "mver.jar")) {
            Files.copy(MverProcess.launcher().resolveSibling(f), spaced.resolve(f));
        }
        spaced.resolve("mver").toFile().setExecutable(true);
        GitBinary.run(a, Map.of(), List.of(spaced.resolve("mver").toString(), "hook", "install")).ok();
        Files2.random(a.resolve("m.pkl"), 50_000, 1);
        mver(a, "register", "c", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        String v1 = Files2.sha256(a.resolve("m.pkl"));
        Files2.random(a.resolve("m.pkl"), 50_000, 2);
        mver(a, "register", "c", "--bump", "minor", "-m", "second").ok();
        GitBinary.Result co = gitIn(a, Map.of(), "checkout", "-q", "c@v1.0.0");
        assertEquals(0, co.code(), co.err());
        assertEquals(v1, Files2.sha256(a.resolve("m.pkl")), co.err());
        Files2.random(a.resolve("model_final.pkl"), 100, 3);
        git(a, "checkout", "-q", "-").ok();
        git(a, "add", "model_final.pkl").ok();
        GitBinary.Result blocked = gitIn(a, Map.of(), "commit", "-qm", "model in git");
        assertTrue(blocked.code() != 0 && blocked.err().contains("model file staged directly into git"), blocked.err());
    }

    private static String currentBranch(Path dir) {
        return git(dir, "rev-parse", "--abbrev-ref", "HEAD").ok().out().strip();
    }
}
