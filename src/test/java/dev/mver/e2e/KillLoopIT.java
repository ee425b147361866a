package dev.mver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.MverProcess;
import dev.mver.testing.Repos;
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
 * A real mver process killed with SIGKILL at random moments during add, register, push, checkout and release;
 * afterwards every object, pointer and tag verifies, every registered version checks out byte for byte (here and,
 * after one more push, in a fresh clone), and a killed release left nothing or a complete bundle. CI runs
 * {@code mver.killLoop} iterations (15 from the pom); {@code mvn verify -Pstress} runs the full 100.
 */
class KillLoopIT {
    @TempDir
    Path tmp;

    @Test
    void sigkill_at_random_moments_never_leaves_a_half_written_object_pointer_metadata_file_or_tag() throws Exception {
        int iterations = Integer.getInteger("mver.killLoop", 15);
        GitBinary.git(tmp, "init", "-q", "--bare", "origin.git").ok();
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        GitBinary.git(repo, "init", "-q").ok();
        GitBinary.git(repo, "remote", "add", "origin", tmp.resolve("origin.git").toString()).ok();
        MverProcess.run(repo, "init").ok();
        Repos.relaxPolicy(repo);
        MverProcess.run(repo, "remote", "add", "shared", "../store").ok();
        Random random = new Random(20261128);
        Map<String, String> expected = new HashMap<>();
        String first = Files2.sha256(Files2.random(repo.resolve("model.bin"), 8 << 20, 0));
        MverProcess.run(repo, "register", "m", "--version", "1.0.0", "-m", "base", "--artifact", "model.bin").ok();
        expected.put("1.0.0", first);
        int killed = 0;
        for (int i = 1; i <= iterations; i++) {
            String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), (4 + random.nextInt(24)) << 20, i));
            String version = "1." + i + ".0";
            List<String> cmd = new ArrayList<>(List.of(MverProcess.java()));
            cmd.addAll(MverProcess.launcherOptions());
            cmd.addAll(List.of("-jar", MverProcess.jar().toString()));
            switch (i % 5) {
                case 0 -> cmd.addAll(List.of("add", "model.bin"));
                case 1 -> cmd.addAll(List.of("register", "m", "--version", version, "-m", "kill " + i));
                case 2 -> cmd.addAll(List.of("push"));
                case 3 -> cmd.addAll(List.of("checkout", "m", "--to", tmp.resolve("out" + i).toString()));
                default -> cmd.addAll(List.of("release", "--tag", "m@v1.0.0", "--out",
                        tmp.resolve("release" + i).toString()));
            }
            if (i % 5 == 1) {
                expected.put(version, sha);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            // Started as MverProcess starts mver: the stub python3 answers register's probe at once, so the kill
            // lands in mver's own steps rather than while it waits for the machine's interpreter.
            pb.environment().put("PATH", dev.mver.testing.Cli.testEnv().get("PATH"));
            Process p = pb.start();
            if (!p.waitFor(200 + random.nextInt(900), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly(); // SIGKILL: no shutdown hooks, no finally blocks
                p.waitFor();
                killed++;
            }
            // A killed git command can leave its lock file, as git itself does; a user would remove it.
            for (String lock : new String[] {".git/index.lock", ".git/packed-refs.lock", ".git/HEAD.lock"}) {
                Files.deleteIfExists(repo.resolve(lock));
            }
            try (java.util.stream.Stream<Path> refs = Files.walk(repo.resolve(".git/refs"))) {
                for (Path lock : refs.filter(f -> f.toString().endsWith(".lock")).toList()) {
                    Files.deleteIfExists(lock);
                }
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

        // A killed release left either nothing or a whole bundle.
        for (int i = 4; i <= iterations; i += 5) {
            Path bundle = tmp.resolve("release" + i);
            if (Files.exists(bundle)) {
                GitBinary.run(bundle, Map.of(), List.of("sha256sum", "-c", "--strict", "SHA256SUMS")).ok();
            }
        }
        // Whatever the killed pushes left on the remotes, one more push completes them and a clone rebuilds all.
        MverProcess.run(repo, "push").ok();
        Path clone = tmp.resolve("clone");
        GitBinary.git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), clone.toString()).ok();
        for (String tag : GitBinary.git(clone, "tag", "-l", "m@v*").ok().out().lines().toList()) {
            Path out = tmp.resolve("clone-" + tag);
            MverProcess.run(clone, "checkout", tag, "--to", out.toString()).ok();
            assertEquals(expected.get(tag.substring("m@v".length())), Files2.sha256(out.resolve("model.bin")), tag);
        }
        assertEquals(tags, GitBinary.git(clone, "tag", "-l", "m@v*").ok().out(), "every version reached the clone");
    }
}
