package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code "cache_link": "hardlink"}: artifacts enter and leave the cache as hard links, read once to hash and never
 * copied; every read is still verified, and the work-tree files are read-only because they are the objects.
 */
class LinkStrategyTest {
    @TempDir
    Path tmp;

    Path repo;
    Cli cli;

    @BeforeEach
    void setUp() {
        repo = tmp.resolve("repo");
        GitBinary.git(tmp, "init", "-q", "repo").ok();
        cli = new Cli(repo);
        cli.run("init").ok();
        Files2.write(repo.resolve(".mver/config.json"), """
                {
                  "schema": "mver/config/v1",
                  "cache_link": "hardlink",
                  "policy": {"rules": {"missing-fields": false}}
                }
                """);
    }

    static Object inode(Path p) throws Exception {
        return Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS);
    }

    Path objectOf(String sha) {
        return repo.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
    }

    @Test
    void add_links_the_artifact_into_the_cache_and_checkout_links_it_out_verified() throws Exception {
        String sha = Files2.sha256(Files2.random(repo.resolve("models/model.bin"), 5 << 20, 1));
        cli.run("register", "m", "--version", "1.0.0", "-m", "linked", "--artifact", "models/model.bin").ok();
        Path model = repo.resolve("models/model.bin");
        assertEquals(inode(objectOf(sha)), inode(model), "one inode: the artifact is the object, not a copy");
        assertTrue(Files.getPosixFilePermissions(model).stream().noneMatch(p -> p.name().endsWith("WRITE")),
                "read-only, so an in-place write cannot change the object behind the cache's back");
        assertTrue(cli.run("status").ok().out().startsWith("clean"));

        Path out = tmp.resolve("out");
        cli.run("checkout", "m@v1.0.0", "--to", out.toString()).ok();
        assertNotEquals(inode(objectOf(sha)), inode(out.resolve("models/model.bin")),
                "a folder outside the work tree gets a copy: an edit there must not reach the cache");
        assertEquals(sha, Files2.sha256(out.resolve("models/model.bin")));

        // Retrained: the new file replaces the old one (as saving a model does), the old object is untouched.
        Files.delete(model);
        String sha2 = Files2.sha256(Files2.random(model, 5 << 20, 2));
        cli.run("register", "m", "--bump", "minor", "-m", "retrained").ok();
        assertEquals(inode(objectOf(sha2)), inode(model));
        cli.run("checkout", "m@v1.0.0").ok();
        assertEquals(sha, Files2.sha256(model));
        assertEquals(inode(objectOf(sha)), inode(model));
        assertEquals(0, cli.run("verify", "--all").code());
    }

    @Test
    void a_linked_object_changed_in_place_is_caught_on_the_next_read() throws Exception {
        String sha = Files2.sha256(Files2.random(repo.resolve("model.bin"), 1 << 20, 3));
        cli.run("register", "m", "--version", "1.0.0", "-m", "x", "--artifact", "model.bin").ok();
        // Someone with the rights to do it writes into the work-tree file, and so into the object.
        repo.resolve("model.bin").toFile().setWritable(true);
        try (var ch = java.nio.channels.FileChannel.open(repo.resolve("model.bin"),
                java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {7}), 10);
        }
        Path out = tmp.resolve("out");
        Cli.Result r = cli.run("checkout", "m@v1.0.0", "--to", out.toString()).fails(6);
        assertTrue(r.err().contains(sha) && r.err().contains("quarantine"), r.err());
        assertFalse(Files.exists(out.resolve("model.bin")));
        assertNotEquals(0, cli.run("verify", "--all").code());
    }

    @Test
    void a_file_with_a_hard_link_outside_the_repository_is_copied_and_the_outside_file_is_untouched() throws Exception {
        Path outside = Files2.random(tmp.resolve("elsewhere/shared.bin"), 2 << 20, 5);
        Files.createLink(repo.resolve("model.bin"), outside);
        var modeBefore = Files.getPosixFilePermissions(outside);
        String sha = Files2.sha256(outside);
        cli.run("register", "m", "--version", "1.0.0", "-m", "x", "--artifact", "model.bin").ok();
        assertEquals(modeBefore, Files.getPosixFilePermissions(outside), "the outside file's mode is not changed");
        assertNotEquals(inode(outside), inode(objectOf(sha)), "the cache holds a copy, not the outside file");
        assertEquals(1, Files.getAttribute(objectOf(sha), "unix:nlink"));

        Path release = tmp.resolve("release");
        cli.run("release", "--tag", "m@v1.0.0", "--out", release.toString()).ok();
        assertEquals(1, Files.getAttribute(release.resolve("artifacts/model.bin"), "unix:nlink"),
                "a release bundle never shares the cache's objects");
        assertEquals(0, cli.run("verify", "--all").code());
    }

    @Test
    void an_unknown_link_strategy_is_a_usage_error() {
        Files2.write(repo.resolve(".mver/config.json"), """
                {"schema": "mver/config/v1", "cache_link": "symlink"}
                """);
        Files2.random(repo.resolve("model.bin"), 1000, 4);
        assertTrue(cli.run("add", "model.bin").fails(2).err().contains("cache_link"));
    }
}
