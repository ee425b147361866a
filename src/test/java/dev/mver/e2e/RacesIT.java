package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Eight real mver processes started at the same instant on one repository: every one ends with its own version or
 * event, or with a clean exit 5; no tag is lost, none is duplicated, and the cache and refs verify afterwards.
 */
class RacesIT {
    static final int PROCESSES = 8;
    static final Pattern REGISTERED = Pattern.compile("Registered (\\S+) \\(commit ([0-9a-f]+)\\)");

    @TempDir
    Path repo;

    /** Starts {@link #PROCESSES} commands at once and returns their results in order. */
    private List<GitBinary.Result> race(IntFunction<String[]> command) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<GitBinary.Result>> runs = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            String[] args = command.apply(i);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return MverProcess.run(repo, List.of("-XX:TieredStopAtLevel=1"), args);
            }));
        }
        start.countDown();
        List<GitBinary.Result> results = new ArrayList<>();
        for (CompletableFuture<GitBinary.Result> run : runs) {
            GitBinary.Result r = run.get();
            assertTrue(r.code() == 0 || r.code() == 5, "exit " + r.code() + ": " + r.err());
            if (r.code() == 5) {
                assertEquals(1, r.err().strip().lines().count(), "one clean line: " + r.err());
            }
            results.add(r);
        }
        return results;
    }

    private void assertVerifies() {
        GitBinary.Result verify = MverProcess.run(repo, "verify", "--all");
        assertEquals(0, verify.code(), verify.out() + verify.err());
        git(repo, "fsck", "--no-dangling").ok();
    }

    private void setUpRepo() {
        MverProcess.run(repo, "init").ok();
        Repos.relaxPolicy(repo);
    }

    @Test
    void eight_racing_bump_registrations_all_finish_with_distinct_versions_and_no_tag_or_commit_is_lost() throws Exception {
        setUpRepo();
        Files2.random(repo.resolve("model.bin"), 1 << 20, 0);
        MverProcess.run(repo, "register", "m", "--version", "1.0.0", "-m", "base", "--artifact", "model.bin").ok();

        List<GitBinary.Result> results = race(i -> new String[] {"register", "m", "--bump", "patch", "-m", "race " + i,
                "--param", "lr=0.0" + i});
        Set<String> won = new HashSet<>();
        for (GitBinary.Result r : results) {
            if (r.code() == 0) {
                Matcher m = REGISTERED.matcher(r.out());
                assertTrue(m.find(), r.out());
                assertTrue(won.add(m.group(1)), "two processes were told they registered " + m.group(1));
                // No lost commit: every winner's registration is on the branch.
                git(repo, "merge-base", "--is-ancestor", m.group(2), "HEAD").ok();
                assertEquals(m.group(2), git(repo, "rev-parse", "--short=10", m.group(1) + "^{commit}").ok().out()
                        .strip());
            }
        }
        // A computed version that lost the race is computed again: every process gets its own version.
        assertEquals(PROCESSES, won.size(), "every --bump registration finishes: " + results);
        List<String> tags = git(repo, "tag", "-l", "m@v*").ok().out().lines().toList();
        assertEquals(1 + won.size(), tags.size(), "one tag per winner, none lost: " + tags + " vs " + won);
        assertTrue(tags.containsAll(won));

        // The same explicit version from eight processes: exactly one gets it, the others exit 5. (A patch: with
        // the artifacts unchanged, only a correction may register again.)
        List<GitBinary.Result> same = race(i -> new String[] {"register", "m", "--version", "1.0.90", "-m",
                "same " + i, "--param", "lr=0.1" + i});
        assertEquals(1, same.stream().filter(r -> r.code() == 0).count(), "exactly one process registers 1.0.90: "
                + same);
        assertEquals(1, git(repo, "tag", "-l", "m@v1.0.90").ok().out().lines().count());
        assertVerifies();
    }

    @Test
    void eight_racing_promotions_get_distinct_event_numbers_and_none_is_lost() throws Exception {
        setUpRepo();
        for (int i = 0; i < PROCESSES; i++) {
            Files2.random(repo.resolve("m.bin"), 1000, i);
            MverProcess.run(repo, "register", "churn", "--version", "1." + i + ".0", "-m", "v" + i, "--artifact",
                    "m.bin").ok();
        }
        String[] stages = {"dev", "staging", "production"};
        List<GitBinary.Result> results = race(i -> new String[] {"promote", "churn@v1." + i + ".0", stages[i % 3],
                "-m", "race"});
        long succeeded = results.stream().filter(r -> r.code() == 0).count();
        List<String> tags = git(repo, "tag", "-l", "churn#*").ok().out().lines().toList();
        assertEquals(succeeded, tags.size(), "every successful promotion left exactly one tag: " + tags);
        Set<String> numbers = new HashSet<>();
        for (String t : tags) {
            assertTrue(numbers.add(t.substring(t.lastIndexOf('#') + 1)), "duplicate event number in " + tags);
        }
        assertTrue(succeeded >= 1);
        assertVerifies();
        GitBinary.Result history = MverProcess.run(repo, "history", "churn", "--json").ok();
        assertEquals(PROCESSES + succeeded, history.out().split("\"event\"").length - 1);
    }

    @Test
    void the_same_artifact_added_by_racing_processes_is_stored_once_and_intact() throws Exception {
        setUpRepo();
        String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), 24 << 20, 7));
        List<GitBinary.Result> results = race(i -> new String[] {"add", "model.bin"});
        assertTrue(results.stream().anyMatch(r -> r.code() == 0), "at least one add finishes");
        String pointer = java.nio.file.Files.readString(repo.resolve("model.bin.mver"));
        assertTrue(pointer.contains(sha), pointer);
        assertEquals(sha, Files2.sha256(repo.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/"
                + sha.substring(2))));
        assertVerifies();
        // Whoever lost the index lock runs again and succeeds; the object is not stored twice.
        MverProcess.run(repo, "add", "model.bin").ok();
        MverProcess.run(repo, "register", "m", "--version", "1.0.0", "-m", "raced", "--artifact", "model.bin").ok();
        assertVerifies();
    }

    @Test
    void adds_of_different_files_in_one_folder_at_once_each_keep_their_ignore_entry() throws Exception {
        setUpRepo();
        for (int round = 0; round < 2; round++) {
            final int r = round;
            for (int i = 0; i < PROCESSES; i++) {
                Files2.random(repo.resolve("models/m" + r + "-" + i + ".pkl"), 1000 + i, 10 * r + i);
            }
            List<GitBinary.Result> results = race(i -> new String[] {"add", "models/m" + r + "-" + i + ".pkl"});
            String ignore = java.nio.file.Files.readString(repo.resolve("models/.gitignore"));
            for (int i = 0; i < PROCESSES; i++) {
                // Every add that exits 0 keeps its entry; a refused one leaves no pointer behind.
                boolean ok = results.get(i).code() == 0;
                assertEquals(ok, ignore.contains("/m" + r + "-" + i + ".pkl\n"), "round " + r + " add " + i + ": "
                        + results.get(i).err() + "\n" + ignore);
                assertEquals(ok, java.nio.file.Files.exists(repo.resolve("models/m" + r + "-" + i + ".pkl.mver")));
            }
            assertTrue(results.stream().allMatch(x -> x.code() == 0), "adds wait their turn: " + results);
            String untracked = git(repo, "status", "--porcelain", "--untracked-files=all").ok().out();
            assertTrue(untracked.lines().noneMatch(l -> l.endsWith(".pkl")), "no model shows as untracked:\n"
                    + untracked);
            assertEquals(git(repo, "show", ":models/.gitignore").ok().out(), ignore, "the index has every entry");
        }
        assertVerifies();
    }
}
