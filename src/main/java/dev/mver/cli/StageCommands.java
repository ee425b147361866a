package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.StageService;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import dev.mver.core.value.VersionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** promote, rollback, demote and deprecate: each writes one event tag. */
final class StageCommands {
    private StageCommands() {
    }

    abstract static class EventCommand extends BaseCommand {
        @Option(names = {"-m", "--message"}, required = true, paramLabel = "REASON", description = "Why.")
        String reason;

        @Option(names = "--json", description = "Print the event as JSON.")
        boolean json;

        abstract StageService.Result apply(Mver mver);

        @Override
        public Integer call() {
            try (Mver mver = mver()) {
                StageService.Result r = apply(mver);
                if (json) {
                    return json(r);
                }
                String what = switch (r.event()) {
                    case PROMOTION -> r.model() + "@v" + r.version() + " promoted to " + r.stage()
                            + (r.previous() == null ? "" : " (was v" + r.previous() + ")");
                    case ROLLBACK -> r.model() + " " + r.stage() + " rolled back to v" + r.version()
                            + " (was v" + r.previous() + ")";
                    case DEMOTION -> r.model() + "@v" + r.version() + " removed from " + r.stage();
                    default -> r.model() + "@v" + r.version() + " deprecated";
                };
                out().println(what + "  [" + r.tag() + "]");
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "promote", description = "Assign a version to a stage (tag NAME#STAGE#N).")
    static final class Promote extends EventCommand {
        @Parameters(index = "0", paramLabel = "NAME@vX.Y.Z")
        String version;

        @Parameters(index = "1", paramLabel = "STAGE")
        String stage;

        @Option(names = "--force", description = "Skip the configured promotion order.")
        boolean force;

        @Override
        StageService.Result apply(Mver mver) {
            return mver.promote(VersionSpec.parse(version), StageName.of(stage), reason, force);
        }
    }

    @Command(name = "rollback", description = "Put the stage's previous occupant (or --to an earlier one) back, as a new event.")
    static final class Rollback extends EventCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "STAGE")
        String stage;

        @Option(names = "--to", paramLabel = "vX.Y.Z", description = "The earlier occupant to restore.")
        String to;

        @Override
        StageService.Result apply(Mver mver) {
            return mver.rollback(ModelName.of(name), StageName.of(stage), to == null ? null : SemVer.parse(to), reason);
        }
    }

    @Command(name = "demote", description = "Remove whatever is in a stage (tag NAME#STAGE!#N).")
    static final class Demote extends EventCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "STAGE")
        String stage;

        @Override
        StageService.Result apply(Mver mver) {
            return mver.demote(ModelName.of(name), StageName.of(stage), reason);
        }
    }

    @Command(name = "deprecate", description = "Mark a version as not to be used (tag NAME@vX.Y.Z!); it cannot be promoted.")
    static final class Deprecate extends EventCommand {
        @Parameters(index = "0", paramLabel = "NAME@vX.Y.Z")
        String version;

        @Override
        StageService.Result apply(Mver mver) {
            return mver.deprecate(VersionSpec.parse(version), reason);
        }
    }
}
