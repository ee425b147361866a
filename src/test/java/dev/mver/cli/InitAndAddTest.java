package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitAndAddTest {
    @TempDir
    Path dir;

    Cli cli() {
        return new Cli(dir);
    }

    @Test
    void init_creates_a_git_repository_and_its_config() throws Exception {
        Cli.Result r = cli().run("init").ok();
        assertTrue(r.out().contains("Initialized mver"), r.out());
        assertTrue(Files.isDirectory(dir.resolve(".git")));
        assertTrue(Files.readString(dir.resolve(".mver/config.json")).contains("\"schema\": \"mver/config/v1\""));
        assertTrue(git(dir, "diff", "--cached", "--name-only").ok().out().contains(".mver/config.json"));
    }

    @Test
    void init_is_idempotent_and_works_from_a_subfolder_of_an_existing_repository() throws Exception {
        git(dir, "init", "-q").ok();
        Files.createDirectories(dir.resolve("sub"));
        cli().run("-C", "sub", "init").ok();
        assertTrue(Files.exists(dir.resolve(".mver/config.json")));
        Map<String, String> before = Files2.snapshot(dir.resolve(".mver"));
        Cli.Result again = cli().run("init").ok();
        assertTrue(again.out().contains("already set up"), again.out());
        assertEquals(before, Files2.snapshot(dir.resolve(".mver")));
    }

    @Test
    void init_and_register_refuse_a_broken_config_even_with_force() throws Exception {
        cli().run("init").ok();
        Files2.write(dir.resolve("model.bin"), "weights");
        Files2.write(dir.resolve(".mver/config.json"), "{\"schema\": \"mver/config/v1\", \"polcy\": {}}\n");
        Map<String, String> before = Files2.snapshot(dir.resolve(".mver"));
        assertTrue(cli().run("init").fails(2).err().contains("polcy"));
        Cli.Result r = cli().run("register", "m", "--version", "1.0.0", "-m", "x", "--artifact", "model.bin",
                "--force").fails(2);
        assertTrue(r.err().contains("polcy") && r.err().lines().count() == 1, r.err());
        assertEquals(before, Files2.snapshot(dir.resolve(".mver")));
        assertEquals("", git(dir, "tag", "-l").ok().out());
    }

    @Test
    void add_stores_the_file_writes_a_pointer_ignores_the_artifact_and_stages_the_pointer() throws Exception {
        cli().run("init").ok();
        Path model = Files2.random(dir.resolve("models/churn/model.pkl"), 3 << 20, 1);
        String sha = Files2.sha256(model);
        Cli.Result r = cli().run("add", "models/churn/model.pkl").ok();
        assertTrue(r.out().contains("models/churn/model.pkl"), r.out());

        assertEquals("mver-pointer v1\ntype file\nsha256 " + sha + "\nsize " + (3 << 20) + "\n",
                Files.readString(dir.resolve("models/churn/model.pkl.mver")));
        Path object = dir.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
        assertEquals(sha, Files2.sha256(object));
        assertFalse(Files.getPosixFilePermissions(object).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE),
                "cache objects are read-only");
        assertEquals("/model.pkl\n", Files.readString(dir.resolve("models/churn/.gitignore")));
        String staged = git(dir, "diff", "--cached", "--name-only").ok().out();
        assertTrue(staged.contains("models/churn/model.pkl.mver"), staged);
        assertFalse(staged.contains("models/churn/model.pkl\n"), staged);
        assertTrue(git(dir, "check-ignore", "-q", "models/churn/model.pkl").code() == 0);
    }

    @Test
    void register_right_after_add_uses_the_object_add_stored_instead_of_copying_it_again() throws Exception {
        cli().run("init").ok();
        Repos.relaxPolicy(dir);
        Path model = Files2.random(dir.resolve("model.bin"), 8 << 20, 2);
        String sha = Files2.sha256(model);
        cli().run("add", "model.bin").ok();
        Path object = dir.resolve(".git/mver/objects/" + sha.substring(0, 2) + "/" + sha.substring(2));
        Object stored = Files.getAttribute(object, "unix:ino");
        // Within a second of the add: too fresh for the racy rule, yet its bytes are the object.
        cli().run("register", "m", "--version", "1.0.0", "-m", "v1", "--artifact", "model.bin").ok();
        assertEquals(stored, Files.getAttribute(object, "unix:ino"), "the object was not written a second time");
        assertEquals(sha, Files2.sha256(object));
    }

    @Test
    void add_of_a_directory_writes_one_pointer_to_a_manifest() throws Exception {
        cli().run("init").ok();
        Files2.write(dir.resolve("hf/config.json"), "{}");
        Files2.write(dir.resolve("hf/tokenizer/vocab.txt"), "a\nb\n");
        Files2.random(dir.resolve("hf/weights.safetensors"), 100_000, 2);
        cli().run("add", "hf").ok();
        String pointer = Files.readString(dir.resolve("hf.mver"));
        assertTrue(pointer.startsWith("mver-pointer v1\ntype dir\n"), pointer);
        assertTrue(pointer.endsWith("size " + (100_000 + 2 + 4) + "\n"), pointer);
        String manifestSha = pointer.lines().filter(l -> l.startsWith("sha256 ")).findFirst().orElseThrow().substring(7);
        String manifest = Files.readString(dir.resolve(".git/mver/objects/" + manifestSha.substring(0, 2) + "/"
                + manifestSha.substring(2)));
        assertTrue(manifest.indexOf("\"config.json\"") < manifest.indexOf("\"tokenizer/vocab.txt\"")
                && manifest.indexOf("\"tokenizer/vocab.txt\"") < manifest.indexOf("\"weights.safetensors\""), manifest);
        assertEquals("/hf/\n", Files.readString(dir.resolve(".gitignore")));
    }

    @Test
    void add_untracks_an_artifact_that_was_committed_to_git_by_mistake() throws Exception {
        cli().run("init").ok();
        Files2.random(dir.resolve("churn.pkl"), 1000, 3);
        git(dir, "add", "churn.pkl").ok();
        cli().run("add", "churn.pkl").ok();
        String staged = git(dir, "ls-files").ok().out();
        assertFalse(staged.contains("churn.pkl\n"), staged);
        assertTrue(staged.contains("churn.pkl.mver"), staged);
        assertTrue(Files.exists(dir.resolve("churn.pkl")), "the file itself stays");
    }

    @Test
    void add_of_a_missing_file_fails_with_exit_4_and_writes_nothing() {
        cli().run("init").ok();
        Files2.random(dir.resolve("a.bin"), 10, 1);
        Map<String, String> before = Files2.snapshot(dir);
        cli().run("add", "a.bin", "missing.bin").fails(4);
        assertEquals(before, Files2.snapshot(dir));
    }

    @Test
    void add_refuses_paths_outside_the_repository_and_inside_mver_or_git() {
        cli().run("init").ok();
        cli().run("add", "../elsewhere.bin").fails(2);
        cli().run("add", ".mver/config.json").fails(2);
        cli().run("add", ".git/config").fails(2);
    }

    @Test
    void add_refuses_a_symbolic_link() throws Exception {
        cli().run("init").ok();
        Path target = Files2.random(dir.resolve("real.bin"), 10, 1);
        Files.createSymbolicLink(dir.resolve("link.bin"), target);
        cli().run("add", "link.bin").fails(2);
    }

    @Test
    void commands_outside_a_git_repository_fail_with_exit_2() throws Exception {
        Path plain = Files.createDirectories(dir.resolve("plain"));
        Cli.Result r = new Cli(plain).run("status").fails(2);
        assertTrue(r.err().contains("not a git repository"), r.err());
    }

    @Test
    void commands_in_a_repository_without_init_tell_the_user_to_run_init() {
        git(dir, "init", "-q").ok();
        Cli.Result r = cli().run("list").fails(2);
        assertTrue(r.err().contains("mver init"), r.err());
    }

    @Test
    void unknown_flags_are_usage_errors_on_one_line() {
        Cli.Result r = cli().run("add", "model.bin", "--bogus").fails(2);
        assertTrue(r.err().contains("--bogus"), r.err());
    }

    @Test
    void help_lists_every_command_and_a_mistyped_one_is_a_usage_error_with_the_list() {
        String help = cli().run("--help").ok().out();
        for (Class<?> c : MverCommand.SUBCOMMANDS) {
            String name = c.getAnnotation(picocli.CommandLine.Command.class).name();
            assertTrue(help.contains("  " + name + " ") || help.contains("  " + name + "\n"), name + " in\n" + help);
        }
        assertTrue(cli().run("statsu").fails(2).err().contains("statsu"));
        String rootHelp = cli().run("-h", "status").ok().out();
        assertTrue(rootHelp.contains("  register ") && rootHelp.contains("  status "), rootHelp);
        assertTrue(cli().run("--debug", "-C", ".", "status", "--help").ok().out().contains("Usage: mver status"));
        assertEquals("status", MverCommand.subcommandName(new String[] {"-C", "list", "--debug", "status", "x"}));
        assertEquals(null, MverCommand.subcommandName(new String[] {"--version"}));
    }

    @Test
    void global_options_work_before_and_after_the_subcommand() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo"));
        new Cli(dir).run("-C", "repo", "init").ok();
        new Cli(dir).run("list", "-C", "repo").ok();
        assertTrue(Files.exists(repo.resolve(".mver/config.json")));
    }
}
