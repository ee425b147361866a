package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.ops.MlflowImport;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = "Bring models in from the tools teams use today: an MLflow file store, "
        + "files tracked by git-lfs or DVC.", subcommands = {ImportCommand.Mlflow.class, ImportCommand.Lfs.class,
        ImportCommand.Dvc.class})
final class ImportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a source: mlflow, lfs or dvc");
    }

    /**
     * What every source shares: the root command's context, the one call into the core, and the report as JSON
     * ({@code --json}) or as the source's table.
     */
    abstract static class Source implements java.util.concurrent.Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        ImportCommand parent;

        @Option(names = "--json", description = "Print the report as JSON.")
        boolean json;

        MverCommand root() {
            return (MverCommand) parent.spec.parent().userObject();
        }

        <R> int report(java.util.function.Function<Mver, R> call, java.util.function.BiConsumer<R, PrintWriter> human) {
            MverCommand root = root();
            R r;
            try (Mver mver = root.openMver(root.settings())) {
                r = call.apply(mver);
            }
            PrintWriter out = root.ctx().out();
            if (json) {
                Json.writeCanonical(r, out);
            } else {
                human.accept(r, out);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "mlflow", description = "Import an MLflow file store's registered models: each version a "
            + "registration (its model folder, its run's params, latest metrics and tags), then the stages and "
            + "aliases as stage events. Running it again imports only what is new.")
    static final class Mlflow extends Source {
        @Parameters(index = "0", paramLabel = "PATH", description = "The file store: the folder named mlruns.")
        Path store;

        @Option(names = "--model", paramLabel = "NAME", description = "Import only this registered model "
                + "(repeatable; default: all).")
        List<String> models;

        @Option(names = "--into", paramLabel = "DIR", description = "Where each model's folder goes, from the "
                + "repository root; NAME stands for the model (default: models/NAME).")
        String into;

        @Option(names = "--major-per-version", description = "MLflow version N becomes N.0.0 (default: 1 is 1.0.0, "
                + "N is 1.(N-1).0).")
        boolean majorPerVersion;

        @Option(names = "--stage-map", paramLabel = "FROM=TO", split = ",", description = "An MLflow stage or alias "
                + "as an mver stage, '-' to leave it out (default: Staging=staging, Production=production, an alias "
                + "as the stage of its name).")
        List<String> stageMap;

        @Option(names = "--dry-run", description = "Print the plan and write nothing.")
        boolean dryRun;

        @Override
        public Integer call() {
            Map<String, String> map = new LinkedHashMap<>();
            for (String pair : stageMap == null ? List.<String>of() : stageMap) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1) {
                    throw MverException.usage("--stage-map takes FROM=TO pairs, e.g. Production=production; got '%s'",
                            pair);
                }
                map.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
            }
            Path where = root().workDir().resolve(store);
            return report(mver -> mver.importMlflow(where, new MlflowImport.Options(models, into, majorPerVersion,
                    map, dryRun)), (r, out) -> {
                        Format.Table t = new Format.Table();
                        for (MlflowImport.Step st : r.steps()) {
                            t.row(st.status(), st.action(), st.mlflowModel() + " v" + st.mlflowVersion(), st.tag()
                                    + (st.stage() == null ? "" : " -> " + st.stage()),
                                    st.detail() == null ? "" : st.detail());
                        }
                        t.print(out);
                        out.printf("%s%d imported, %d already there, %d not imported%n", r.dryRun() ? "dry run: " : "",
                                r.dryRun() ? (int) r.steps().stream().filter(st -> st.status().equals("planned"))
                                        .count() : r.imported(), r.already(), r.notImported());
                    });
        }
    }

    @Command(name = "lfs", description = "Move files tracked by git-lfs to mver artifacts, in one commit: the same "
            + "SHA-256, taken from git-lfs's store (fetched when missing) and verified; history is not rewritten.")
    static final class Lfs extends Source {
        @Parameters(paramLabel = "PATTERN", arity = "0..*", description = "Which files, as .gitattributes patterns "
                + "(default: every file git-lfs tracks).")
        List<String> patterns;

        @Override
        public Integer call() {
            return report(mver -> mver.importLfs(patterns == null ? List.of() : patterns), (r, out) -> {
                Format.Table t = new Format.Table();
                r.moved().forEach(m -> t.row("moved", m.path(), m.sha256().substring(0, 12), m.size() + " bytes",
                        m.fetched() ? "(fetched)" : ""));
                r.attributesRemoved().forEach(a -> t.row("removed", ".gitattributes: " + a));
                t.print(out);
                out.printf("%d file%s moved from git-lfs in commit %s%s%n", r.moved().size(),
                        r.moved().size() == 1 ? "" : "s", r.commit().substring(0, 10), r.stillLfs().isEmpty() ? ""
                                : "; git-lfs still tracks " + r.stillLfs().size());
            });
        }
    }

    @Command(name = "dvc", description = "Move outputs tracked by DVC (.dvc files, dvc.lock stages) to mver artifacts "
            + "in one commit: bytes from DVC's cache, checked against their MD5; the .dvc files go; dvc.yaml's "
            + "artifacts become models.")
    static final class Dvc extends Source {
        @Parameters(paramLabel = "FILE", arity = "0..*", description = "The .dvc files (or dvc.lock) whose outputs "
                + "move (default: every one git tracks).")
        List<String> files;

        @Override
        public Integer call() {
            return report(mver -> mver.importDvc(files == null ? List.of() : files), (r, out) -> {
                Format.Table t = new Format.Table();
                r.moved().forEach(m -> t.row("moved", m.path() + (m.directory() ? "/" : ""), "from " + m.from()));
                r.removed().forEach(f -> t.row("removed", f, ""));
                r.models().forEach(m -> t.row("model", m, ""));
                t.print(out);
                if (r.commit() == null) {
                    out.println("nothing to move: every output is mver's already");
                } else {
                    out.printf("%d output%s moved from DVC in commit %s%n", r.moved().size(),
                            r.moved().size() == 1 ? "" : "s", r.commit().substring(0, 10));
                }
            });
        }
    }
}
