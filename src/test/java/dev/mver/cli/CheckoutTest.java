package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.io.FileTrees;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckoutTest {
    @TempDir
    Path dir;

    @TempDir
    Path out;

    Cli cli;
    String v1Model;
    String v1Vocab;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir).initRelaxed();
        v1Model = Files2.sha256(Files2.random(dir.resolve("m/model.bin"), 300_000, 1));
        v1Vocab = Files2.sha256(Files2.write(dir.resolve("m/enc/vocab.txt"), "a\nb\n"));
        cli.run("register", "churn", "--version", "1.0.0", "-m", "v1", "--artifact", "m/model.bin",
                "--artifact", "m/enc").ok();
        Files2.random(dir.resolve("m/model.bin"), 300_000, 2);
        Files2.write(dir.resolve("m/enc/vocab.txt"), "a\nc\n");
        cli.run("register", "churn", "--version", "1.1.0", "-m", "v2").ok();
    }

    Path objectOf(String sha) {
        return dir.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
    }

    @Test
    void checkout_to_a_folder_rebuilds_the_release_from_its_tag() throws Exception {
        FileTrees.delete(dir.resolve("m"));
        Cli.Result r = cli.run("checkout", "churn@v1.0.0", "--to", out.toString()).ok();
        assertTrue(r.out().contains("Checked out churn@v1.0.0"), r.out());
        assertEquals(v1Model, Files2.sha256(out.resolve("m/model.bin")));
        assertEquals(v1Vocab, Files2.sha256(out.resolve("m/enc/vocab.txt")));
        assertEquals(git(dir, "show", "churn@v1.0.0:.mver/models/churn.json").ok().out(),
                Files.readString(out.resolve(".mver/models/churn.json")));
        assertFalse(Files.exists(dir.resolve("m/model.bin")), "the work tree is not touched");
    }

    @Test
    void a_corrupted_cache_object_is_quarantined_and_exits_6_without_writing_the_target() throws Exception {
        Path object = objectOf(v1Model);
        object.toFile().setWritable(true);
        try (var ch = java.nio.channels.FileChannel.open(object, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {42}), 1000);
        }
        Cli.Result r = cli.run("checkout", "churn@v1.0.0", "--to", out.toString()).fails(6);
        assertTrue(r.err().contains(v1Model) && r.err().contains("quarantine"), r.err());
        assertFalse(Files.exists(object));
        assertFalse(Files.exists(out.resolve("m/model.bin")));
        try (Stream<Path> files = Files.walk(out)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".mver-tmp")), "no temp file left");
        }
    }

    @Test
    void a_pointer_whose_size_disagrees_with_its_sound_object_is_the_error_and_the_object_is_kept() throws Exception {
        Path pointer = dir.resolve("m/model.bin.mver");
        String good = Files.readString(pointer);
        // A bad merge or a hand edit: the right hash, the wrong size.
        Files.writeString(pointer, good.replace("size 300000", "size 300001"));
        git(dir, "commit", "-qam", "bad merge").ok();
        Files.delete(dir.resolve("m/model.bin"));

        Cli.Result r = cli.run("checkout").fails(6);
        assertTrue(r.err().contains("pointer m/model.bin.mver") && r.err().contains("300001"), r.err());
        assertTrue(Files.isRegularFile(objectOf(v1ModelOrCurrent())), "the sound object is not quarantined");
        assertFalse(Files.exists(dir.resolve(".git/mver/quarantine")));
        Cli.Result verify = cli.run("verify", "--all");
        assertEquals(6, verify.code());
        assertTrue(verify.out().contains("m/model.bin.mver"), verify.out());

        Files.writeString(pointer, good);
        cli.run("checkout").ok();
        assertEquals(0, cli.run("verify", "--all").code());
    }

    String v1ModelOrCurrent() {
        String pointer = Files2.read(dir.resolve("m/model.bin.mver"));
        return pointer.lines().filter(l -> l.startsWith("sha256 ")).findFirst().orElseThrow().substring(7);
    }

    @Test
    void a_directory_artifact_comes_back_whole_with_empty_folders_and_executable_bits() throws Exception {
        Path model = dir.resolve("saved");
        Files2.write(model.resolve("variables/data.bin"), "weights");
        Files.createDirectories(model.resolve("assets"));
        Path script = Files2.write(model.resolve("bin/serve.sh"), "#!/bin/sh\necho serving\n");
        script.toFile().setExecutable(true, false);
        Files.createDirectories(dir.resolve("emptydir"));
        cli.run("register", "saved", "--version", "1.0.0", "-m", "whole", "--artifact", "saved",
                "--artifact", "emptydir").ok();
        FileTrees.delete(model);
        FileTrees.delete(dir.resolve("emptydir"));

        cli.run("checkout", "saved@v1.0.0").ok();
        assertTrue(Files.isDirectory(model.resolve("assets")), "the empty folder is back");
        assertTrue(Files.isDirectory(dir.resolve("emptydir")), "an empty directory artifact is back");
        assertTrue(Files.isExecutable(model.resolve("bin/serve.sh")), "the executable bit is back");
        assertFalse(Files.isExecutable(model.resolve("variables/data.bin")));
        Cli.Result status = cli.run("status").ok();
        assertTrue(status.out().startsWith("clean"), status.out());

        cli.run("checkout", "saved@v1.0.0", "--to", out.toString()).ok();
        assertTrue(Files.isDirectory(out.resolve("saved/assets")));
        assertTrue(Files.isExecutable(out.resolve("saved/bin/serve.sh")));
        Path release = dir.getParent().resolve(dir.getFileName() + "-release");
        try {
            cli.run("release", "--tag", "saved@v1.0.0", "--out", release.toString()).ok();
            String listing = GitBinary.run(release, Map.of(), List.of("tar", "tzvf",
                    "saved-v1.0.0.tar.gz")).ok().out();
            assertTrue(listing.lines().anyMatch(l -> l.startsWith("-rwxr-xr-x") && l.endsWith("bin/serve.sh")), listing);
            assertTrue(listing.lines().anyMatch(l -> l.startsWith("d") && l.endsWith("saved/assets/")), listing);
        } finally {
            FileTrees.delete(release);
        }
    }

    @Test
    void a_folder_recorded_before_modes_were_kept_does_not_look_changed_until_its_files_change() throws Exception {
        // m/enc was registered with a manifest of plain files; an older mver did not record its empty folders or
        // execute bits, which it may well have had all along.
        Files.createDirectories(dir.resolve("m/enc/empty"));
        dir.resolve("m/enc/vocab.txt").toFile().setExecutable(true);
        assertTrue(cli.run("status").ok().out().startsWith("clean"), cli.run("status").out());
        cli.run("checkout", "churn@v1.0.0").ok();
        cli.run("checkout", "churn@v1.1.0").ok();

        Files2.write(dir.resolve("m/enc/vocab.txt"), "a\nd\n");
        dir.resolve("m/enc/vocab.txt").toFile().setExecutable(true);
        Files.createDirectories(dir.resolve("m/enc/empty"));
        cli.run("register", "churn", "--version", "1.2.0", "-m", "new vocabulary").ok();
        FileTrees.delete(dir.resolve("m/enc"));
        cli.run("checkout", "churn@v1.2.0").ok();
        assertTrue(Files.isDirectory(dir.resolve("m/enc/empty")), "new registrations record the modes");
        assertTrue(Files.isExecutable(dir.resolve("m/enc/vocab.txt")));
    }

    @Test
    void a_truncated_cache_object_exits_6() throws Exception {
        Path object = objectOf(v1Model);
        object.toFile().setWritable(true);
        try (var ch = java.nio.channels.FileChannel.open(object, StandardOpenOption.WRITE)) {
            ch.truncate(100);
        }
        cli.run("checkout", "churn@v1.0.0", "--to", out.toString()).fails(6);
    }

    @Test
    void a_missing_object_exits_4_and_a_missing_version_exits_4() throws Exception {
        Files.delete(objectOf(v1Model));
        Cli.Result r = cli.run("checkout", "churn@v1.0.0", "--to", out.toString()).fails(4);
        assertTrue(r.err().contains("m/model.bin"), r.err());
        cli.run("checkout", "churn@v7.0.0", "--to", out.toString()).fails(4);
    }

    @Test
    void metadata_rewritten_after_tagging_is_detected_as_tampering() throws Exception {
        String message = git(dir, "tag", "-l", "--format=%(contents)", "churn@v1.0.0").ok().out();
        git(dir, "checkout", "-q", "churn@v1.0.0").ok();
        Files.writeString(dir.resolve(".mver/models/churn.json"),
                Files.readString(dir.resolve(".mver/models/churn.json")).replace("\"v1\"", "\"forged\""));
        git(dir, "commit", "-qam", "forge").ok();
        Files.writeString(dir.resolve("msg"), message);
        git(dir, "tag", "-f", "-a", "-F", "msg", "churn@v1.0.0").ok();
        Cli.Result r = cli.run("checkout", "churn@v1.0.0", "--to", out.toString()).fails(6);
        assertTrue(r.err().contains("does not match the hash in its tag"), r.err());
        cli.run("show", "churn@v1.0.0").fails(6);
    }

    @Test
    void checkout_into_the_work_tree_restores_artifacts_and_pointers() throws Exception {
        cli.run("checkout", "churn@v1.0.0").ok();
        assertEquals(v1Model, Files2.sha256(dir.resolve("m/model.bin")));
        assertEquals(v1Vocab, Files2.sha256(dir.resolve("m/enc/vocab.txt")));
        assertTrue(Files.readString(dir.resolve("m/model.bin.mver")).contains(v1Model));
        cli.run("checkout", "churn").ok();
        assertFalse(Files2.sha256(dir.resolve("m/model.bin")).equals(v1Model), "latest is v1.1.0");
    }

    @Test
    void checkout_refuses_to_overwrite_changes_that_are_not_in_the_cache() throws Exception {
        Files2.random(dir.resolve("m/model.bin"), 300_000, 77);
        String unsaved = Files2.sha256(dir.resolve("m/model.bin"));
        Cli.Result r = cli.run("checkout", "churn@v1.0.0").fails(5);
        assertTrue(r.err().contains("mver add m/model.bin"), r.err());
        assertEquals(unsaved, Files2.sha256(dir.resolve("m/model.bin")));
        cli.run("checkout", "churn@v1.0.0", "--force").ok();
        assertEquals(v1Model, Files2.sha256(dir.resolve("m/model.bin")));
    }

    @Test
    void checkout_without_a_version_restores_every_artifact_from_its_pointer() throws Exception {
        String v2 = Files2.sha256(dir.resolve("m/model.bin"));
        FileTrees.delete(dir.resolve("m/enc"));
        Files.delete(dir.resolve("m/model.bin"));
        cli.run("checkout").ok();
        assertEquals(v2, Files2.sha256(dir.resolve("m/model.bin")));
        assertTrue(Files.exists(dir.resolve("m/enc/vocab.txt")));
    }

    @Test
    void a_symlinked_folder_in_the_target_is_refused_and_nothing_is_written_outside() throws Exception {
        Path outside = Files.createDirectories(out.resolve("outside"));
        Path target = Files.createDirectories(out.resolve("target"));
        Files.createSymbolicLink(target.resolve("m"), outside);
        cli.run("checkout", "churn@v1.0.0", "--to", target.toString()).fails(2);
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(), s.toList());
        }
    }

    @Test
    void a_target_file_hard_linked_from_outside_is_replaced_and_the_outside_file_is_unchanged() throws Exception {
        Path target = Files.createDirectories(out.resolve("target/m"));
        Path outsideFile = Files2.write(out.resolve("precious.bin"), "do not touch");
        Files.createLink(target.resolve("model.bin"), outsideFile);
        cli.run("checkout", "churn@v1.0.0", "--to", out.resolve("target").toString()).ok();
        assertEquals("do not touch", Files.readString(outsideFile));
        assertEquals(v1Model, Files2.sha256(target.resolve("model.bin")));
    }

    @Test
    void checkout_to_twice_gives_identical_trees() throws Exception {
        cli.run("checkout", "churn@v1.0.0", "--to", out.resolve("a").toString()).ok();
        cli.run("checkout", "churn@v1.0.0", "--to", out.resolve("b").toString()).ok();
        Map<String, String> a = Files2.snapshot(out.resolve("a"));
        assertEquals(a, Files2.snapshot(out.resolve("b")));
        assertEquals(3, a.values().stream().filter(v -> !v.equals("dir")).count(), a.toString());
    }
}
