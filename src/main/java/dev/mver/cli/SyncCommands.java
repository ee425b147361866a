package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.CheckoutService;
import dev.mver.core.ops.GcService;
import dev.mver.core.ops.SyncService;
import dev.mver.core.value.VersionSpec;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** push, fetch, pull and gc. */
final class SyncCommands {
    private SyncCommands() {
    }

    abstract static class Transfer extends BaseCommand {
        @Option(names = "--remote", paramLabel = "NAME", description = "Artifact remote (default: the default remote).")
        String remote;

        @Option(names = "--jobs", paramLabel = "N", description = "Transfers at once, objects or parts of one (default: "
                + "4 per core, 8 to 16; twice that for objects under 1 MiB).")
        int jobs;

        @Option(names = "--git-remote", paramLabel = "NAME", description = "Git remote for registry refs (default origin).")
        String gitRemote = "origin";

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        Mver.Transfer how() {
            return new Mver.Transfer(remote, jobs, gitRemote);
        }

        /** One line saying what moved, in the direction it moved: {@code upload} for push, else fetch. */
        int render(Mver.Synced synced, boolean upload) {
            SyncService.Result r = synced.result();
            if (json) {
                return json(r);
            }
            int n = r.objects().transferred();
            String refs = r.refs().size() + " ref" + (r.refs().size() == 1 ? "" : "s");
            out().println(synced.remote() + ": " + n + " object" + (n == 1 ? "" : "s")
                    + (upload ? " uploaded (" : " downloaded (") + Format.bytes(r.objects().bytes()) + "), "
                    + r.objects().alreadyThere() + (upload ? " already there" : " already in the cache")
                    + (r.refs().isEmpty() ? "" : upload ? "; " + refs + " updated on " + r.gitRemote()
                    : "; " + refs + " fetched from " + r.gitRemote()));
            out().flush();
            return 0;
        }

        static List<VersionSpec> specs(List<String> args) {
            return args == null ? List.of() : args.stream().map(VersionSpec::parse).toList();
        }
    }

    @Command(name = "push", description = "Upload the objects the selected versions need (default: everything not "
            + "yet on the remote), then push the registry refs to the git remote atomically.")
    static final class Push extends Transfer {
        @Parameters(arity = "0..*", paramLabel = "NAME[@vX.Y.Z]")
        List<String> versions;

        @Option(names = "--objects-only", description = "Upload objects only; leave git refs alone (the pre-push hook).")
        boolean objectsOnly;

        @Option(names = "--repair", description = "Also re-hash every copy already on the remote and replace those "
                + "that do not match (copies of the wrong size are always replaced).")
        boolean repair;

        @Option(names = "--retry", description = "When another clone pushed events of the same model first, renumber "
                + "your unpushed events (promotions, rollbacks, registrations) after theirs, then push.")
        boolean retry;

        @Option(names = "--check-events", description = "Only check that this clone's registry events (of the named "
                + "models; default all) are numbered after those on the git remote, as push does first (the pre-push "
                + "hook of a plain git push); nothing is pushed.")
        boolean checkEvents;

        @Override
        public Integer call() {
            try (Mver mver = mver()) {
                if (checkEvents) {
                    if (!mver.runByMverPush()) { // mver push checked before it pushed
                        // The hook names the models of the tags it pushes; a tag name that is no model is skipped.
                        List<dev.mver.core.value.ModelName> models = versions == null ? List.of() : versions.stream()
                                .filter(dev.mver.core.value.ModelName::isValid).map(dev.mver.core.value.ModelName::of)
                                .distinct().toList();
                        if (versions == null || versions.isEmpty() || !models.isEmpty()) {
                            mver.checkEventNumbers(how().gitRemote(), models);
                        }
                    }
                    return 0;
                }
                Mver.Synced pushed = mver.push(specs(versions), how(), objectsOnly, repair, retry);
                if (objectsOnly && !json && pushed.result().objects().transferred() == 0 && mver.runByMverPush()) {
                    return 0; // the mver push that runs this hook prints the one summary
                }
                return render(pushed, true);
            }
        }
    }

    @Command(name = "fetch", description = "Fetch registry refs from the git remote, then download the objects the "
            + "given versions need (default: the work tree's pointers).")
    static final class Fetch extends Transfer {
        @Parameters(arity = "0..*", paramLabel = "NAME[@vX.Y.Z]|NAME#STAGE")
        List<String> versions;

        @Override
        public Integer call() {
            try (Mver mver = mver()) {
                return render(mver.fetch(specs(versions), how()), false);
            }
        }
    }

    @Command(name = "pull", description = "fetch, then restore the given versions' artifacts into the work tree.")
    static final class Pull extends Transfer {
        @Parameters(arity = "1..*", paramLabel = "NAME@vX.Y.Z|NAME#STAGE")
        List<String> versions;

        @Option(names = "--force", description = "Overwrite work-tree artifacts whose changes are not in the cache.")
        boolean force;

        @Override
        public Integer call() {
            try (Mver mver = mver()) {
                Mver.Pulled pulled = mver.pull(specs(versions), how(), force);
                if (json) {
                    return json(pulled);
                }
                render(pulled.fetched(), false);
                for (CheckoutService.Result r : pulled.restored()) {
                    out().printf("restored %s: %d files written, %d unchanged%n", r.tag(), r.filesWritten(),
                            r.filesUnchanged());
                }
                out().flush();
                return 0;
            }
        }
    }

    @Command(name = "gc", description = "Remove cache objects that nothing needs: no pointer or metadata record in "
            + "any commit of any branch, tag, stash or work tree, no index, not younger than the grace period, and "
            + "(unless --include-unpushed) safe on the default remote.")
    static final class Gc extends BaseCommand {
        @Option(names = "--dry-run", description = "List what would be removed; remove nothing.")
        boolean dryRun;

        @Option(names = "--include-unpushed", description = "Also remove objects the default remote does not have.")
        boolean includeUnpushed;

        @Option(names = "--grace", paramLabel = "DURATION", converter = GraceConverter.class,
                description = "Keep objects younger than this (default 1h; e.g. 0, 30m, 2h, 7d).")
        java.time.Duration grace = GcService.DEFAULT_GRACE;

        @Option(names = "--force", description = "Run on a cache shared with other clones (git config mver.cacheDir).")
        boolean force;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Override
        public Integer call() {
            try (Mver mver = mver()) {
                GcService.Result r = mver.gc(new GcService.Options(dryRun, includeUnpushed, grace, force));
                if (json) {
                    return json(r);
                }
                if (dryRun) {
                    r.objects().forEach(o -> out().println("would remove " + o.replace(java.io.File.separatorChar, '/')
                            .replace("/", "")));
                }
                StringBuilder kept = new StringBuilder();
                if (r.keptRecent() > 0) {
                    kept.append(", ").append(r.keptRecent()).append(" younger than ").append(Format.duration(grace));
                }
                if (r.keptUnpushed() > 0) {
                    kept.append(", ").append(r.keptUnpushed()).append(" not on the default remote (--include-unpushed "
                            + "removes them)");
                }
                out().printf("%s %d object%s (%s); kept %d%s%n", dryRun ? "would remove" : "removed", r.removed(),
                        r.removed() == 1 ? "" : "s", Format.bytes(r.bytesRemoved()), r.kept(), kept);
                out().flush();
                return 0;
            }
        }
    }

    /** {@link dev.mver.core.value.Durations}, as picocli's converter. */
    static final class GraceConverter implements picocli.CommandLine.ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            try {
                return dev.mver.core.value.Durations.parse(value, "grace");
            } catch (dev.mver.core.value.MverException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
