package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.value.MverException;
import dev.mver.testing.GitBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * The repository opened ahead of the command is the one the command asked for, or none. Starting a prefetch sets
 * JGit up for the process ({@code GitSetup} replaces JGit's {@code SystemReader}), hence {@link Isolated}.
 */
@Isolated
class RepositoryPrefetchTest {
    @TempDir
    Path tmp;

    @Test
    void the_folder_is_guessed_only_from_a_plain_dash_c_of_a_command_that_opens_a_work_tree() {
        assertEquals(tmp, RepositoryPrefetch.guessDir(new String[] {"status"}, tmp));
        assertEquals(tmp.resolve("repo"), RepositoryPrefetch.guessDir(new String[] {"-C", "repo", "list"}, tmp));
        assertEquals(tmp.resolve("repo"), RepositoryPrefetch.guessDir(new String[] {"list", "-C", "repo"}, tmp));
        assertNull(RepositoryPrefetch.guessDir(new String[] {"init"}, tmp));
        assertNull(RepositoryPrefetch.guessDir(new String[] {"--version"}, tmp));
        assertNull(RepositoryPrefetch.guessDir(new String[] {"-Crepo", "list"}, tmp));
        assertNull(RepositoryPrefetch.guessDir(new String[] {"-C", "a", "-C", "b", "list"}, tmp));
        assertNull(RepositoryPrefetch.guessDir(new String[] {"list", "-C"}, tmp));
    }

    @Test
    void the_repository_is_handed_over_once_and_only_for_its_own_folder() throws Exception {
        GitBinary.git(tmp, "init", "-q", "repo").ok();
        Path repo = tmp.resolve("repo");
        RepositoryPrefetch prefetch = RepositoryPrefetch.start(new String[] {"status"}, repo);
        prefetch.awaitGitSetup();
        assertNull(prefetch.take(tmp), "another folder opens its own");
        try (Repository r = prefetch.take(repo)) {
            assertNotNull(r);
            assertEquals(repo.toRealPath(), r.getWorkTree().toPath().toRealPath());
        }
        assertNull(prefetch.take(repo), "a second open gets a repository of its own");
    }

    @Test
    void a_folder_that_is_no_repository_fails_on_the_commands_thread_with_the_usual_error() throws Exception {
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        RepositoryPrefetch prefetch = RepositoryPrefetch.start(new String[] {"list"}, plain);
        MverException e = assertThrows(MverException.class, () -> prefetch.take(plain));
        assertTrue(e.getMessage().contains("not a git repository"), e.getMessage());
    }
}
