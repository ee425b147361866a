package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.io.FileTrees;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Read commands answer a model's events from its snapshot while the ref store is as it was, and from the refs as
 * soon as anything changed them: every way git changes a tag is seen, and an answer from the snapshot is the answer
 * a fresh read gives.
 */
class EventSnapshotTest {
    @TempDir
    Path dir;

    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
        for (String model : new String[] {"churn", "team/churn"}) {
            for (int i = 0; i < 3; i++) {
                Files2.random(dir.resolve("m.bin"), 1000, i);
                cli.run("register", model, "--version", "1." + i + ".0", "-m", "v" + i, "--artifact", "m.bin").ok();
            }
            cli.run("promote", model + "@v1.1.0", "production", "-m", "ship").ok();
        }
    }

    /** Makes the tag folders look long settled, as they are in a repository nobody wrote to for a while. */
    void settle() throws Exception {
        FileTime hourAgo = FileTime.from(Instant.now().minusSeconds(3600));
        for (Path p : new Path[] {dir.resolve(".git/refs/tags"), dir.resolve(".git/refs/tags/team"),
                dir.resolve(".git/packed-refs")}) {
            if (Files.exists(p)) {
                Files.setLastModifiedTime(p, hourAgo);
            }
        }
    }

    Path snapshot(String file) {
        return dir.resolve(".git/mver/snapshots").resolve(file);
    }

    /** What a read gives with no snapshot and no event cache at all: every tag read from git. */
    String fresh(String... args) throws Exception {
        Path mver = dir.resolve(".git/mver");
        Path aside = dir.resolve("mver-aside");
        Files.createDirectories(aside);
        for (String name : new String[] {"snapshots", "events"}) {
            if (Files.exists(mver.resolve(name))) {
                Files.move(mver.resolve(name), aside.resolve(name));
            }
        }
        try {
            return cli.run(args).ok().out();
        } finally {
            for (String name : new String[] {"snapshots", "events"}) {
                Files2.deleteTree(mver.resolve(name));
                if (Files.exists(aside.resolve(name))) {
                    Files.move(aside.resolve(name), mver.resolve(name));
                }
            }
        }
    }

    @Test
    void a_settled_snapshot_answers_without_reading_a_tag_and_as_a_fresh_read_does() throws Exception {
        settle();
        String history = cli.run("history", "churn", "--json").ok().out();
        assertTrue(Files.exists(snapshot("churn")), "the read kept a snapshot of the model's events");
        assertEquals(fresh("history", "churn", "--json"), history);
        // Proof that the snapshot answered: with the event cache gone and a tag object moved away it answers the
        // same, although neither could be read.
        Files.deleteIfExists(dir.resolve(".git/mver/events"));
        String tagObject = git(dir, "rev-parse", "churn@v1.0.0").ok().out().trim();
        Path loose = dir.resolve(".git/objects/" + tagObject.substring(0, 2) + "/" + tagObject.substring(2));
        Files.move(loose, dir.resolve("tag-object"));
        try {
            assertEquals(history, cli.run("history", "churn", "--json").ok().out());
            assertEquals(cli.run("stages", "churn", "--json").ok().out(), cli.run("stages", "churn", "--json").ok().out());
        } finally {
            Files.move(dir.resolve("tag-object"), loose);
        }
    }

    @Test
    void every_way_git_changes_a_tag_is_seen_at_once() throws Exception {
        settle();
        cli.run("stages", "churn").ok();
        // mver's own write (JGit), then plain git: a new tag, a deleted one, refs packed, a tag moved by force.
        cli.run("promote", "churn@v1.2.0", "staging", "-m", "qa").ok();
        String stages = cli.run("stages", "churn", "--json").ok().out();
        assertTrue(stages.contains("\"staging\": \"1.2.0\""), stages);
        settle();
        cli.run("stages", "churn").ok();
        String staging = git(dir, "tag", "-l", "churn#staging#*").ok().out().trim();
        git(dir, "tag", "-d", staging).ok();
        assertFalse(cli.run("stages", "churn", "--json").ok().out().contains("\"staging\": \"1.2.0\""));
        settle();
        String before = cli.run("history", "churn", "--json").ok().out();
        git(dir, "pack-refs", "--all").ok();
        assertEquals(before, cli.run("history", "churn", "--json").ok().out());
        settle();
        cli.run("history", "churn").ok();
        git(dir, "-c", "user.name=Hand", "-c", "user.email=hand@example.com", "tag", "-f", "-a", "-m", "by hand",
                "churn#production#99", "churn@v1.2.0^{}").ok();
        String after = cli.run("history", "churn", "--json").ok().out();
        assertNotEquals(before, after);
        assertTrue(after.contains("churn#production#99"), after);
        assertEquals(fresh("history", "churn", "--json"), after);
    }

    @Test
    void a_tag_git_adds_or_moves_right_after_a_write_is_seen_though_the_tag_files_are_checked_by_their_stats()
            throws Exception {
        // After mver's write the folder times are too recent to vouch for the snapshot; the tag files' stats are
        // checked instead, and the one just written (too recent to trust its stat alone) by its content.
        cli.run("promote", "churn@v1.2.0", "staging", "-m", "qa").ok();
        git(dir, "-c", "user.name=Hand", "-c", "user.email=hand@example.com", "tag", "-a", "-m", "by hand",
                "churn#dev#50", "churn@v1.0.0^{}").ok();
        String history = cli.run("history", "churn", "--json").ok().out();
        assertTrue(history.contains("churn#dev#50"), history);
        assertEquals(fresh("history", "churn", "--json"), history);
        cli.run("promote", "churn@v1.0.0", "staging", "-m", "back").ok();
        String written = git(dir, "tag", "-l", "churn#staging#*").ok().out().lines()
                .max(java.util.Comparator.comparingLong(t -> Long.parseLong(t.substring(t.lastIndexOf('#') + 1))))
                .orElseThrow();
        git(dir, "-c", "user.name=Hand", "-c", "user.email=hand@example.com", "tag", "-f", "-a", "-m", "moved",
                written, "churn@v1.2.0^{}").ok();
        String stages = cli.run("stages", "churn", "--json").ok().out();
        assertEquals(fresh("stages", "churn", "--json"), stages);
        assertEquals(fresh("history", "churn", "--json"), cli.run("history", "churn", "--json").ok().out());
        // Settled since: the stats alone vouch for every file, and the answer is still a fresh read's.
        settle();
        Thread.sleep(150);
        assertEquals(fresh("history", "churn", "--json"), cli.run("history", "churn", "--json").ok().out());
    }

    @Test
    void a_tag_rewritten_behind_a_restored_folder_time_is_still_seen() throws Exception {
        settle();
        FileTime settled = Files.getLastModifiedTime(dir.resolve(".git/refs/tags"));
        String before = cli.run("history", "churn", "--json").ok().out();
        git(dir, "-c", "user.name=Hand", "-c", "user.email=hand@example.com", "tag", "-a", "-m", "by hand",
                "churn#dev#50", "churn@v1.0.0^{}").ok();
        // The folder's modification time put back as it was: its change time (which no one can set) still moved.
        Files.setLastModifiedTime(dir.resolve(".git/refs/tags"), settled);
        String after = cli.run("history", "churn", "--json").ok().out();
        assertNotEquals(before, after);
        assertTrue(after.contains("churn#dev#50"), after);
    }

    @Test
    void after_each_write_the_snapshot_it_leaves_answers_as_a_fresh_read() throws Exception {
        String[][] writes = {
            {"promote", "churn@v1.2.0", "production", "-m", "ship"},
            {"rollback", "churn", "production", "-m", "bad"},
            {"demote", "churn", "production", "-m", "out"},
            {"deprecate", "churn@v1.0.0", "-m", "old"},
        };
        for (String[] write : writes) {
            settle();
            cli.run("history", "churn").ok();
            cli.run(write).ok();
            assertEquals(fresh("history", "churn", "--json"), cli.run("history", "churn", "--json").ok().out(),
                    String.join(" ", write));
        }
        // A registration in a model with another tool's tags (their origin depends on mver's first version).
        git(dir, "-c", "user.name=Gto", "-c", "user.email=gto@example.com", "tag", "-a", "-m", "gto", "adopt@v0.1.0",
                "HEAD").ok();
        settle();
        cli.run("history", "adopt").ok();
        Files2.random(dir.resolve("m.bin"), 1000, 42);
        cli.run("register", "adopt", "--version", "0.2.0", "-m", "mver now", "--artifact", "m.bin").ok();
        assertEquals(fresh("history", "adopt", "--json"), cli.run("history", "adopt", "--json").ok().out());
    }

    @Test
    void the_event_cache_grows_by_what_a_command_learnt_and_a_torn_tail_is_dropped() throws Exception {
        Files2.deleteTree(dir.resolve(".git/mver/snapshots"));
        Files.deleteIfExists(dir.resolve(".git/mver/events"));
        String history = cli.run("history", "churn", "--json").ok().out();
        Path cache = dir.resolve(".git/mver/events");
        String before = Files.readString(cache);
        cli.run("promote", "churn@v1.2.0", "staging", "-m", "qa").ok();
        Files2.deleteTree(dir.resolve(".git/mver/snapshots")); // so that the next read learns the new tag
        cli.run("history", "churn").ok();
        String after = Files.readString(cache);
        assertTrue(after.startsWith(before), "appended, not rewritten");
        assertEquals(before.split("\n").length + 1, after.split("\n").length);
        // A crash in the middle of an append leaves a line cut short: it is dropped, and the next append starts
        // on a line of its own.
        Files.writeString(cache, after + "deadbeef refs/tags/churn#cut", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        cli.run("demote", "churn", "staging", "-m", "out").ok();
        Files2.deleteTree(dir.resolve(".git/mver/snapshots"));
        String fresh = fresh("history", "churn", "--json");
        assertEquals(fresh, cli.run("history", "churn", "--json").ok().out());
        assertTrue(Files.readString(cache).contains("churn#cut\n"), "the torn line kept apart");
        assertNotEquals(history, fresh);
    }

    @Test
    void a_linked_work_tree_and_the_main_one_see_each_others_events() throws Exception {
        Path linked = dir.resolveSibling(dir.getFileName() + "-linked");
        try {
            git(dir, "worktree", "add", "-q", "-b", "side", linked.toString()).ok();
            settle();
            cli.run("stages", "churn").ok();
            Cli there = cli.in(linked);
            there.run("promote", "churn@v1.2.0", "staging", "-m", "from the linked work tree").ok();
            assertTrue(cli.run("stages", "churn", "--json").ok().out().contains("\"staging\": \"1.2.0\""));
            settle();
            there.run("stages", "churn").ok();
            cli.run("demote", "churn", "staging", "-m", "from the main one").ok();
            assertFalse(there.run("stages", "churn", "--json").ok().out().contains("\"staging\": \"1.2.0\""));
        } finally {
            Files2.deleteTree(linked);
        }
    }

    @Test
    void a_model_in_a_folder_sees_tags_written_into_its_folder() throws Exception {
        settle();
        cli.run("stages", "team/churn").ok();
        assertTrue(Files.exists(snapshot("team%2Fchurn")));
        git(dir, "-c", "user.name=Hand", "-c", "user.email=hand@example.com", "tag", "-a", "-m", "by hand",
                "team/churn#dev#50", "team/churn@v1.0.0^{}").ok();
        assertTrue(cli.run("stages", "team/churn", "--json").ok().out().contains("\"dev\": \"1.0.0\""));
    }

    @Test
    void a_damaged_or_foreign_snapshot_is_read_from_git_again() throws Exception {
        settle();
        String history = cli.run("history", "churn", "--json").ok().out();
        byte[] bytes = Files.readAllBytes(snapshot("churn"));
        bytes[bytes.length - 10] ^= 1;
        Files.write(snapshot("churn"), bytes);
        assertEquals(history, cli.run("history", "churn", "--json").ok().out());
        // Another model's snapshot under this one's name (a case-insensitive file system): not taken for it.
        cli.run("history", "team/churn").ok();
        Files.copy(snapshot("team%2Fchurn"), snapshot("churn"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertEquals(history, cli.run("history", "churn", "--json").ok().out());
    }

    @Test
    void tags_fetched_from_another_clone_are_seen() throws Exception {
        Path origin = dir.resolveSibling(dir.getFileName() + "-origin.git");
        Path other = dir.resolveSibling(dir.getFileName() + "-other");
        try {
            git(dir.getParent(), "init", "-q", "--bare", origin.toString()).ok();
            git(dir, "remote", "add", "origin", origin.toString()).ok();
            git(dir, "push", "-q", "origin", "HEAD:refs/heads/main", "--tags").ok();
            git(dir.getParent(), "clone", "-q", "-b", "main", origin.toString(), other.toString()).ok();
            Cli b = new Cli(other);
            b.run("promote", "churn@v1.0.0", "dev", "-m", "try").ok();
            git(other, "push", "-q", "origin", "--tags").ok();
            settle();
            assertFalse(cli.run("stages", "churn", "--json").ok().out().contains("\"dev\": \"1.0.0\""));
            git(dir, "fetch", "-q", "origin", "--tags").ok();
            assertTrue(cli.run("stages", "churn", "--json").ok().out().contains("\"dev\": \"1.0.0\""));
        } finally {
            FileTrees.delete(origin);
            FileTrees.delete(other);
        }
    }
}
