package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.io.CrashPoints;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A crash injected at every step of add, register, push, release and checkout in turn (the k-th step of the k-th
 * run), then a restart: the repository verifies, every registered version checks out byte for byte, and running
 * the command again finishes the work. The hook is process-wide, hence {@link Isolated}.
 */
@Isolated
class CrashAtEveryStepTest {
    /** What a crash looks like to the code under test: nothing catches an Error on the way out. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String step) {
            super("simulated crash at " + step);
        }
    }

    @TempDir
    Path tmp;

    Path repo;
    Cli cli;
    final Map<String, String> registered = new TreeMap<>();
    final Set<String> stepsSeen = new LinkedHashSet<>();

    @BeforeEach
    void setUp() {
        repo = Repos.withOrigin(tmp, "repo", true);
        cli = new Cli(repo);
        cli.run("remote", "add", "shared", "../store").ok();
        register("1.0.0", 0);
    }

    private void register(String version, int seed) {
        String sha = Files2.sha256(Files2.random(repo.resolve("models/model.bin"), 300_000 + seed, seed));
        Files2.write(repo.resolve("models/enc/vocab.txt"), "a\nb\n" + seed + "\n");
        cli.run("register", "m", "--version", version, "-m", "v" + version, "--artifact", "models/model.bin",
                "--artifact", "models/enc").ok();
        registered.put(version, sha);
    }

    /**
     * Runs {@code command(k)} with a crash at its k-th step, for k = 1, 2, ... until a run reaches fewer than k
     * steps; after each crash checks the repository and lets {@code restart} finish the work.
     */
    private int crashAtEachStep(String what, IntFunction<String[]> command, IntFunction<Void> before,
                                java.util.function.IntConsumer restart) throws Exception {
        int crashes = 0;
        for (int k = 1; k < 200; k++) {
            before.apply(k);
            AtomicInteger reached = new AtomicInteger();
            List<String> at = new ArrayList<>();
            boolean crashed = false;
            final int target = k;
            Cli.Result result = null;
            try (AutoCloseable hook = CrashPoints.install(step -> {
                synchronized (at) {
                    stepsSeen.add(what + " / " + step.replaceAll("\\.mver-tmp-.*|[0-9a-f]{62}", "*"));
                }
                if (reached.incrementAndGet() == target) {
                    synchronized (at) {
                        at.add(step);
                    }
                    throw new SimulatedCrash(step);
                }
            })) {
                result = cli.run(command.apply(k));
            } catch (SimulatedCrash e) {
                crashed = true;
            }
            // A crash on a worker thread surfaces as a failed command; either way the run died at step k.
            crashed |= !at.isEmpty();
            if (!crashed) {
                assertEquals(0, result.code(), what + " without a crash: " + result.err());
                assertTrue(k > 1, what + " reached no crash point");
                return crashes;
            }
            crashes++;
            assertConsistent(what + " crashed at step " + k + " (" + at + ")");
            restart.accept(k);
            assertConsistent(what + " restarted after step " + k);
        }
        throw new AssertionError(what + " never finished");
    }

    private void assertConsistent(String when) {
        Cli.Result verify = cli.run("verify", "--all");
        assertEquals(0, verify.code(), when + ": " + verify.out() + verify.err());
        for (Map.Entry<String, String> v : registered.entrySet()) {
            Path out = tmp.resolve("check-" + System.nanoTime());
            cli.run("checkout", "m@v" + v.getKey(), "--to", out.toString()).ok();
            assertEquals(v.getValue(), Files2.sha256(out.resolve("models/model.bin")), when + ": m@v" + v.getKey());
        }
        git(repo, "fsck", "--no-dangling").ok();
    }

    @Test
    void a_crash_at_any_step_of_add_or_register_leaves_the_old_state_or_the_new_one() throws Exception {
        int adds = crashAtEachStep("add", k -> new String[] {"add", "models/model.bin", "models/enc"}, k -> {
            Files2.random(repo.resolve("models/model.bin"), 200_000 + k, 1000 + k);
            Files2.write(repo.resolve("models/enc/vocab.txt"), "add " + k + "\n");
            return null;
        }, k -> cli.run("add", "models/model.bin", "models/enc").ok());
        assertTrue(adds >= 4, "add crossed " + adds + " steps");

        int registers = crashAtEachStep("register", k -> new String[] {"register", "m", "--version", "2." + k + ".0",
                "-m", "crash " + k}, k -> {
            Files2.random(repo.resolve("models/model.bin"), 100_000 + k, 2000 + k);
            return null;
        }, k -> {
            String version = "2." + k + ".0";
            String sha = Files2.sha256(repo.resolve("models/model.bin"));
            if (git(repo, "tag", "-l", "m@v" + version).ok().out().isBlank()) {
                cli.run("register", "m", "--version", version, "-m", "again " + k).ok();
            } else {
                // The refs moved before the crash: the version is registered, only the work tree lags behind.
                cli.run("checkout", "m@v" + version).ok();
            }
            registered.put(version, sha);
            assertTrue(cli.run("status", "--json").ok().out().contains("\"model\""));
        });
        assertTrue(registers >= 6, "register crossed " + registers + " steps: " + stepsSeen);
        // The last, uncrashed run registered one more version.
        registered.put("2." + (registers + 1) + ".0", Files2.sha256(repo.resolve("models/model.bin")));
        assertConsistent("after every register crash");
        assertEquals(registered.size(), git(repo, "tag", "-l", "m@v*").ok().out().lines().count());
        assertTrue(stepsSeen.containsAll(List.of("add / rename into *", "add / add: pointers written, index not updated",
                "register / register: objects written, refs not moved",
                "register / refs: 1 of 3 moved", "register / refs: 2 of 3 moved",
                "register / register: refs moved, work tree not written",
                "register / register: work tree written, index not updated")), stepsSeen.toString());
    }

    @Test
    void a_crash_at_any_step_of_push_release_or_checkout_is_finished_by_running_it_again() throws Exception {
        register("1.1.0", 1);
        register("1.2.0", 2);
        // Each run has a fresh version to send, since the restart before it sent everything.
        int pushes = crashAtEachStep("push", k -> new String[] {"push"}, k -> {
            register("3." + k + ".0", 3000 + k);
            return null;
        }, k -> cli.run("push").ok());
        assertTrue(pushes >= 4, "push crossed " + pushes + " steps: " + stepsSeen);
        // Whatever the crashes left on the remote, a fresh clone rebuilds every version byte for byte.
        Path clone = tmp.resolve("clone");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), clone.toString()).ok();
        Cli cloneCli = new Cli(clone);
        for (Map.Entry<String, String> v : registered.entrySet()) {
            cloneCli.run("fetch", "m@v" + v.getKey()).ok();
            Path out = tmp.resolve("from-clone-" + v.getKey());
            cloneCli.run("checkout", "m@v" + v.getKey(), "--to", out.toString()).ok();
            assertEquals(v.getValue(), Files2.sha256(out.resolve("models/model.bin")));
        }

        Path out = tmp.resolve("release");
        int releases = crashAtEachStep("release", k -> new String[] {"release", "--tag", "m@v1.1.0", "--out",
                out.toString()}, k -> {
            assertFalse(Files.exists(out), "a crashed release left no output behind");
            return null;
        }, k -> {
            assertFalse(Files.exists(out), "a crashed release left no output behind");
            try (var leftovers = Files.list(tmp)) {
                assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().contains("mver-tmp")));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertTrue(releases >= 1);
        assertEquals(registered.get("1.1.0"), Files2.sha256(out.resolve("artifacts/models/model.bin")));

        int checkouts = crashAtEachStep("checkout", k -> new String[] {"checkout", "m@v1." + (k % 3) + ".0"},
                k -> null, k -> {
                    String version = "1." + (k % 3) + ".0";
                    String now = Files2.sha256(repo.resolve("models/model.bin"));
                    assertTrue(registered.containsValue(now), "the artifact is one version or another, never torn");
                    cli.run("checkout", "m@v" + version).ok();
                    assertEquals(registered.get(version), Files2.sha256(repo.resolve("models/model.bin")));
                });
        assertTrue(checkouts >= 2, "checkout crossed " + checkouts + " steps: " + stepsSeen);
        assertTrue(stepsSeen.containsAll(List.of("push / push: object copied, not linked into place",
                "push / push: object sent", "push / push: objects sent, refs not pushed",
                "release / release: bundle built, not moved into place", "checkout / rename into model.bin")),
                stepsSeen.toString());
    }
}
