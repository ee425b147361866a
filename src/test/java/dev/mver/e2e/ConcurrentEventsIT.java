package dev.mver.e2e;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Promotions racing in separate processes: distinct event numbers or a clean exit 5, never a lost event. */
class ConcurrentEventsIT {
    @TempDir
    Path repo;

    @Test
    void racing_promotions_get_distinct_event_numbers_and_none_is_lost() throws Exception {
        MverProcess.run(repo, "init").ok();
        dev.mver.testing.Repos.relaxPolicy(repo);
        for (int i = 0; i < 6; i++) {
            Files2.random(repo.resolve("m.bin"), 1000, i);
            MverProcess.run(repo, "register", "churn", "--version", "1." + i + ".0", "-m", "v" + i, "--artifact", "m.bin")
                    .ok();
        }
        String[] stages = {"dev", "staging", "production"};
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<GitBinary.Result>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String version = "churn@v1." + i + ".0";
            String stage = stages[i % 3];
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                return MverProcess.run(repo, List.of("-XX:TieredStopAtLevel=1"), "promote", version, stage, "-m", "race");
            }));
        }
        start.countDown();
        int succeeded = 0;
        for (CompletableFuture<GitBinary.Result> run : runs) {
            GitBinary.Result r = run.get();
            assertTrue(r.code() == 0 || r.code() == 5, "exit " + r.code() + ": " + r.err());
            succeeded += r.code() == 0 ? 1 : 0;
        }
        List<String> tags = git(repo, "tag", "-l", "churn#*").ok().out().lines().toList();
        assertEquals(succeeded, tags.size(), "every successful promotion left exactly one tag: " + tags);
        Set<String> numbers = new HashSet<>();
        for (String t : tags) {
            assertTrue(numbers.add(t.substring(t.lastIndexOf('#') + 1)), "duplicate event number in " + tags);
        }
        assertTrue(succeeded >= 1);
        GitBinary.Result verify = MverProcess.run(repo, "verify");
        assertEquals(0, verify.code(), verify.out() + verify.err());
        GitBinary.Result history = GitBinary.run(repo, Map.of(), List.of(MverProcess.java(), "-jar",
                MverProcess.jar().toString(), "history", "churn", "--json"));
        assertEquals(6 + succeeded, history.ok().out().split("\"event\"").length - 1);
    }
}
