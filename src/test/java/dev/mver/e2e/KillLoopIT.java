package dev.mver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real mver process killed with SIGKILL at random moments during add, register and checkout; afterwards every
 * object, pointer and tag verifies and every registered version checks out byte for byte. CI runs
 * {@code mver.killLoop} iterations (default 12); {@code mvn verify -Dmver.killLoop=100} runs the full loop.
 */
class KillLoopIT {
    @TempDir
    Path tmp;

    @Test
    void sigkill_at_random_moments_never_leaves_a_half_written_object_pointer_metadata_file_or_tag() throws Exception {
        int iterations = Integer.getInteger("mver.killLoop", 12);
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        MverProcess.run(repo, "init").ok();
        dev.mver.testing.Repos.relaxPolicy(repo);
        Random random = new Random(20261128);
        Map<String, String> expected = new HashMap<>();
        String first = Files2.sha256(Files2.random(repo.resolve("model.bin"), 8 << 20, 0));
        MverProcess.run(repo, "register", "m", "--version", "1.0.0", "-m", "base", "--artifact", "model.bin").ok();
        expected.put("1.0.0", first);
        int killed = 0;
        for (int i = 1; i <= iterations; i++) {
            String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), (4 + random.nextInt(24)) << 20, i));
            String version = "1." + i + ".0";
            List<String> cmd = new ArrayList<>(List.of(MverProcess.java(), "-jar", MverProcess.jar().toString()));
            switch (i % 3) {
                case 0 -> cmd.addAll(List.of("add", "model.bin"));
                case 1 -> cmd.addAll(List.of("register", "m", "--version", version, "-m", "kill " + i));
                default -> cmd.addAll(List.of("checkout", "m", "--to", tmp.resolve("out" + i).toString()));
            }
            if (i % 3 == 1) {
                expected.put(version, sha);
            }
            Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(200 + random.nextInt(900), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                p.waitFor();
                killed++;
            }
            // A killed git command can leave its lock file, as git itself does; a user would remove it.
            for (String lock : new String[] {".git/index.lock", ".git/packed-refs.lock", ".git/HEAD.lock"}) {
                Files.deleteIfExists(repo.resolve(lock));
            }
        }
        assertTrue(killed > 0, "no process was killed; the loop proves nothing");

        GitBinary.Result verify = MverProcess.run(repo, "verify", "--all");
        assertEquals(0, verify.code(), verify.out() + verify.err());
        String tags = GitBinary.git(repo, "tag", "-l", "m@v*").ok().out();
        for (String tag : tags.lines().toList()) {
            String version = tag.substring("m@v".length());
            Path out = tmp.resolve("check-" + version);
            MverProcess.run(repo, "checkout", tag, "--to", out.toString()).ok();
            assertEquals(expected.get(version), Files2.sha256(out.resolve("model.bin")), tag + " has the bytes it was registered with");
        }
        GitBinary.git(repo, "fsck", "--no-dangling").ok();
    }
}
