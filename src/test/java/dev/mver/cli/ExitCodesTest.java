package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.value.ExitCode;
import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documented exit codes: one table, shown by --help, and a local I/O failure has its own. */
class ExitCodesTest {
    @TempDir
    Path tmp;

    @Test
    void help_lists_every_exit_code_with_its_meaning() {
        String help = new Cli(tmp).run("--help").ok().out();
        for (ExitCode code : ExitCode.values()) {
            assertTrue(help.matches("(?s).*\\n\\s*" + code.code() + "\\s+" + java.util.regex.Pattern.quote(code.meaning())
                    + ".*"), code + " in:\n" + help);
        }
    }

    @Test
    void a_local_io_failure_exits_8_with_one_line_not_as_a_bug() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        // The cache's folder cannot be created: a file is where it would go (as a full or broken disk would refuse).
        Files.createDirectories(repo.resolve(".git/mver"));
        Files.write(repo.resolve(".git/mver/objects"), new byte[] {1});
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        Cli.Result r = new Cli(repo).run("add", "model.bin").fails(8);
        assertTrue(!r.err().contains("bug"), r.err());
        assertEquals(8, ExitCode.LOCAL_IO.code());
    }
}
