package dev.mver.core.git;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refs moved together as git's files backend moves them, checked with the git binary. */
class RefTransactionTest {
    private static final PersonIdent WHO = new PersonIdent("Ada", "ada@example.com", 1_700_000_000_000L, 0);

    @TempDir
    Path dir;
    private ObjectId first;
    private ObjectId second;
    private String branch;

    @BeforeEach
    void repo() {
        git(dir, "init", "-q").ok();
        git(dir, "commit", "-q", "--allow-empty", "-m", "one").ok();
        first = ObjectId.fromString(git(dir, "rev-parse", "HEAD").ok().out().trim());
        git(dir, "commit", "-q", "--allow-empty", "-m", "two").ok();
        second = ObjectId.fromString(git(dir, "rev-parse", "HEAD").ok().out().trim());
        git(dir, "reset", "-q", "--hard", first.name()).ok();
        branch = git(dir, "symbolic-ref", "HEAD").ok().out().trim();
    }

    private RefTransaction.Result commit(RefTransaction.Update... updates) throws Exception {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            return RefTransaction.of(repo).commit(List.of(updates), WHO, "mver m@v1.0.0");
        }
    }

    private String rev(String ref) {
        return git(dir, "rev-parse", "-q", "--verify", ref).out().trim();
    }

    private List<Path> locks() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve(".git"))) {
            return files.filter(p -> p.toString().endsWith(".lock")).toList();
        }
    }

    @Test
    void moves_a_tag_a_counter_and_the_branch_together_and_logs_the_branch_and_head_as_git_does() throws Exception {
        assertEquals(RefTransaction.Result.OK, commit(
                new RefTransaction.Update(branch, first, second),
                new RefTransaction.Update("refs/tags/m@v1.0.0", ObjectId.zeroId(), second),
                new RefTransaction.Update("refs/mver/events/m", ObjectId.zeroId(), second)));
        assertEquals(second.name(), rev(branch));
        assertEquals(second.name(), rev("refs/tags/m@v1.0.0"));
        assertEquals(second.name(), rev("refs/mver/events/m"));
        assertTrue(git(dir, "reflog", "-1", "--format=%gs", branch).ok().out().contains("mver m@v1.0.0"));
        assertTrue(git(dir, "reflog", "-1", "--format=%gs %ge", "HEAD").ok().out().contains("mver m@v1.0.0 ada@example.com"));
        assertFalse(Files.exists(dir.resolve(".git/logs/refs/tags/m@v1.0.0")), "git keeps no reflog for tags");
        assertEquals(List.of(), locks());
        git(dir, "fsck", "--no-dangling").ok();
    }

    @Test
    void a_held_lock_moves_nothing_and_leaves_the_other_commands_lock_alone() throws Exception {
        Path held = Files.writeString(dir.resolve(".git/" + branch + ".lock"), "");
        assertEquals(RefTransaction.Result.LOCKED, commit(
                new RefTransaction.Update("refs/tags/m@v1.0.0", ObjectId.zeroId(), second),
                new RefTransaction.Update(branch, first, second)));
        assertEquals("", rev("refs/tags/m@v1.0.0"));
        assertEquals(first.name(), rev(branch));
        assertEquals(List.of(held), locks());
    }

    @Test
    void a_ref_that_moved_since_it_was_read_moves_nothing() throws Exception {
        assertEquals(RefTransaction.Result.CHANGED, commit(
                new RefTransaction.Update("refs/tags/m@v1.0.0", ObjectId.zeroId(), second),
                new RefTransaction.Update(branch, second, first)));
        assertEquals("", rev("refs/tags/m@v1.0.0"));
        assertEquals(List.of(), locks());
    }

    @Test
    void a_packed_tag_of_the_same_name_exists_and_is_not_replaced() throws Exception {
        git(dir, "tag", "m@v1.0.0").ok();
        git(dir, "pack-refs", "--all").ok();
        assertFalse(Files.exists(dir.resolve(".git/refs/tags/m@v1.0.0")));
        assertEquals(RefTransaction.Result.CHANGED, commit(
                new RefTransaction.Update("refs/tags/m@v1.0.0", ObjectId.zeroId(), second)));
        assertEquals(first.name(), rev("refs/tags/m@v1.0.0"));
        // A packed ref is moved by a loose one over it, as git does.
        assertEquals(RefTransaction.Result.OK, commit(new RefTransaction.Update(branch, first, second)));
        assertEquals(second.name(), rev(branch));
    }

    @Test
    void a_name_that_is_another_refs_folder_or_lies_in_one_is_refused_loose_or_packed() throws Exception {
        git(dir, "tag", "team").ok();
        assertEquals(RefTransaction.Result.NAME_CONFLICT, commit(
                new RefTransaction.Update("refs/tags/team/m@v1.0.0", ObjectId.zeroId(), second)));
        git(dir, "pack-refs", "--all").ok();
        assertEquals(RefTransaction.Result.NAME_CONFLICT, commit(
                new RefTransaction.Update("refs/tags/team/m@v1.0.0", ObjectId.zeroId(), second)));
        git(dir, "tag", "a/b").ok();
        assertEquals(RefTransaction.Result.NAME_CONFLICT, commit(
                new RefTransaction.Update("refs/tags/a", ObjectId.zeroId(), second)));
        git(dir, "pack-refs", "--all").ok();
        assertEquals(RefTransaction.Result.NAME_CONFLICT, commit(
                new RefTransaction.Update("refs/tags/a", ObjectId.zeroId(), second)));
        assertEquals("", rev("refs/tags/a"));
        // An empty folder left by deleted refs is no conflict: git removes it too.
        Files.createDirectories(dir.resolve(".git/refs/tags/gone/deeper"));
        assertEquals(RefTransaction.Result.OK, commit(
                new RefTransaction.Update("refs/tags/gone", ObjectId.zeroId(), second)));
        assertEquals(second.name(), rev("refs/tags/gone"));
        assertEquals(List.of(), locks());
    }
}
