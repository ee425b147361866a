package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shell completion: commands and options from picocli, model names, versions and stages from the tags. */
class CompletionTest {
    @TempDir
    Path tmp;

    /** What bash offers after {@code words} (the last one being completed), with the script sourced. */
    static String complete(Path dir, Path script, String... words) {
        String array = String.join(" ", List.of(words).stream().map(w -> "'" + w + "'").toList());
        String run = "source '" + script + "' 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + String.join(" ", words) + "'; COMP_POINT=${#COMP_LINE}; _mver_complete mver '"
                + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null; echo \"${COMPREPLY[*]}\"";
        return GitBinary.run(dir, Map.of(), List.of("bash", "-c", run)).out().strip();
    }

    @Test
    void bash_completion_offers_commands_options_and_the_registry_s_names() throws Exception {
        Path repo = Repos.relaxed(tmp, "repo");
        Cli cli = new Cli(repo);
        Files2.random(repo.resolve("model.bin"), 1000, 1);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "a", "--artifact", "model.bin").ok();
        cli.run("promote", "churn@v1.0.0", "production", "-m", "go").ok();
        Path script = Files2.write(tmp.resolve("mver.bash"), cli.run("completion", "bash").ok().out());
        assertEquals(0, GitBinary.run(tmp, Map.of(), List.of("bash", "-n", script.toString())).code());

        assertTrue(List.of(complete(repo, script, "mver", "sh").split(" ")).contains("show"));
        assertTrue(complete(repo, script, "mver", "list", "--js").contains("--json"));
        List<String> names = List.of(complete(repo, script, "mver", "show", "ch").split(" "));
        assertTrue(names.containsAll(List.of("churn", "churn@v1.0.0", "churn#production")), names.toString());
        assertEquals(cli.run("completion", "bash").out(), cli.run("completion", "zsh").out(),
                "one script: picocli's serves zsh through bashcompinit");
        cli.run("completion", "fish").fails(2);
        assertTrue(git(repo, "tag", "-l").out().contains("churn@v1.0.0"));
    }
}
