package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mver help [COMMAND]}, and "did you mean" for a mistyped command or option. */
class HelpAndSuggestionsTest {
    @TempDir
    Path tmp;

    @Test
    void help_shows_the_same_text_as_dash_dash_help_for_mver_and_for_a_command() {
        Cli cli = new Cli(tmp);
        assertEquals(cli.run("--help").ok().out(), cli.run("help").ok().out());
        assertEquals(cli.run("register", "--help").ok().out(), cli.run("help", "register").ok().out());
        assertEquals(cli.run("remote", "add", "--help").ok().out(), cli.run("help", "remote", "add").ok().out());
        assertTrue(cli.run("help").out().contains("help"), "help lists itself");
    }

    @Test
    void a_mistyped_command_or_option_is_exit_2_with_the_nearest_names() {
        Cli cli = new Cli(tmp);
        assertTrue(cli.run("stauts").fails(2).err().contains("unknown command 'stauts'; did you mean status"));
        assertTrue(cli.run("regster").fails(2).err().contains("did you mean register?"));
        assertTrue(cli.run("remote", "addd").fails(2).err().contains("unknown command 'addd'; did you mean add?"));
        assertTrue(cli.run("list", "--jsn").fails(2).err().contains("unknown option '--jsn'; did you mean --json?"));
        assertTrue(cli.run("help", "regster").fails(2).err().contains("no command 'regster'; did you mean register?"));
        String far = cli.run("xyzzy").fails(2).err();
        assertTrue(far.contains("unknown command 'xyzzy' (see 'mver --help')"), far);
    }

    @Test
    void nearness_counts_a_swap_of_neighbours_as_one_slip() {
        assertEquals(1, Suggestions.distance("stauts", "status"));
        assertEquals(1, Suggestions.distance("regster", "register"));
        assertEquals(List.of("status", "stages"), Suggestions.nearest("stauts", List.of("stages", "status", "show")));
        assertEquals(List.of(), Suggestions.nearest("xyzzy", List.of("status", "show")));
    }
}
