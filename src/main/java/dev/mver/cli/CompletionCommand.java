package dev.mver.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mver completion bash|zsh}: picocli's completion of commands and options, plus model names, versions and
 * stages read from the repository's tags by git (no JVM starts while you press TAB).
 */
@Command(name = "completion", description = "Print shell completion for bash or zsh: source it, e.g. "
        + "'source <(mver completion bash)' in ~/.bashrc ('mver install' puts it where bash and zsh find it).")
final class CompletionCommand extends BaseCommand {
    @Parameters(index = "0", paramLabel = "bash|zsh")
    String shell;

    /** Model names, NAME@vX.Y.Z and NAME#STAGE from the tags, for the commands that take them. */
    static final String REGISTRY = """

            # mver: model names, versions and stages from the repository's tags.
            _mver_registry_words() {
              git tag -l 2>/dev/null | awk -F'[@#]' '
                /@v[0-9]/ { print $1; print $0 }
                /#[^#]+#[0-9]+$/ { print $1; print $1 "#" $2 }' | sort -u
            }
            _mver_complete() {
              _complete_mver "$@"
              local cur="${COMP_WORDS[COMP_CWORD]}"
              case "$cur" in -*) return ;; esac
              case "${COMP_WORDS[1]}" in
                show|log|history|stages|promote|rollback|demote|deprecate|checkout|diff|release|fetch|pull|push|\\
                check-ref|bump|register)
                  COMPREPLY+=( $(compgen -W "$(_mver_registry_words)" -- "$cur") ) ;;
              esac
            }
            complete -F _mver_complete -o default mver
            """;

    static String script(String shell, picocli.CommandLine all) {
        String base = AutoComplete.bash("mver", all);
        return switch (shell) {
            case "bash", "zsh" -> base + REGISTRY;
            default -> throw dev.mver.core.value.MverException.usage("completion is for bash or zsh, not '%s'",
                    dev.mver.core.value.Text.printable(shell, 20));
        };
    }

    @Override
    public Integer call() {
        out().print(script(shell, MverCommand.everyCommand(root.ctx())));
        out().flush();
        return 0;
    }
}
