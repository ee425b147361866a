package dev.mver.cli;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code mver help [COMMAND [SUBCOMMAND]]}: the same text as {@code --help}, as git and most CLIs offer it. */
@Command(name = "help", description = "Show the help of mver or of a command.")
final class HelpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..*", paramLabel = "COMMAND")
    String[] command = new String[0];

    @Override
    public Integer call() {
        CommandLine target = spec.parent().commandLine();
        for (String name : command) {
            CommandLine sub = target.getSubcommands().get(name);
            if (sub == null) {
                throw MverException.usage("no command '%s'%s (see 'mver help')", Text.printable(name, 40),
                        Suggestions.phrase(name, target.getSubcommands().keySet()));
            }
            target = sub;
        }
        target.usage(spec.commandLine().getOut());
        return ExitCode.OK.code();
    }
}
