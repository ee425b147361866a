package dev.mver.cli;

import dev.mver.core.Mver;
import dev.mver.core.config.RemoteConfig;
import dev.mver.core.ops.RemoteService;
import dev.mver.core.value.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "remote", description = "Manage artifact remotes: folders (shared disk, NFS) and S3-compatible storage.",
        subcommands = {RemoteCommand.Add.class, RemoteCommand.ListRemotes.class, RemoteCommand.Remove.class})
final class RemoteCommand implements Runnable {
    @ParentCommand
    MverCommand root;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: add, list or remove");
    }

    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        RemoteCommand parent;

        Context ctx() {
            return parent.root.ctx();
        }

        Mver open() {
            return parent.root.openMver(Mver.Settings.quiet(ctx().env(), ctx().clock()));
        }
    }

    @Command(name = "add", description = "Add a remote: s3://bucket/prefix or a folder path (relative to the work tree).")
    static final class Add extends Sub {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "URL")
        String url;

        @Option(names = "--default", description = "Make it the default remote.")
        boolean makeDefault;

        @Option(names = "--endpoint", paramLabel = "URL", description = "S3 endpoint (MinIO, Ceph, other S3-compatible servers).")
        String endpoint;

        @Option(names = "--region", paramLabel = "REGION", description = "S3 region (default: AWS_REGION, "
                + "AWS_DEFAULT_REGION, the AWS profile's region, else us-east-1).")
        String region;

        @Option(names = "--path-style", description = "Path-style S3 addressing (most self-hosted servers).")
        boolean pathStyle;

        @Option(names = "--checksum", paramLabel = "sha256|md5",
                description = "Checksum sent with each upload: sha256 (AWS, MinIO) or md5 (any S3 server); default: "
                        + "the signed payload's SHA-256 over http://, md5 over https://.")
        String checksum;

        @Option(names = "--connect-timeout", paramLabel = "DURATION", description = "S3: give up connecting after "
                + "this long (default 10s; MVER_S3_CONNECT_TIMEOUT overrides).")
        String connectTimeout;

        @Option(names = "--read-timeout", paramLabel = "DURATION", description = "S3: give up on a server silent "
                + "this long (default 30s; MVER_S3_READ_TIMEOUT overrides).")
        String readTimeout;

        @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
                description = "Any other option of the remote's kind (repeatable).")
        Map<String, String> options = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Map<String, String> all = new LinkedHashMap<>(options);
            put(all, "endpoint", endpoint);
            put(all, "region", region);
            put(all, "path_style", pathStyle ? "true" : null);
            put(all, "checksum", checksum);
            put(all, "connect_timeout", connectTimeout);
            put(all, "read_timeout", readTimeout);
            RemoteConfig config = new RemoteConfig(url, all);
            try (Mver mver = open()) {
                RemoteService.RemoteView v = mver.addRemote(name, config, makeDefault);
                ctx().out().println("added remote " + v.name() + " " + v.url() + (v.isDefault() ? " (default)" : ""));
                ctx().out().println("teammates' clones see it once .mver/config.json is committed and pushed: git add "
                        + ".mver/config.json && git commit -m 'mver: remote " + v.name() + "' && git push");
                ctx().out().flush();
                return 0;
            }
        }

        private static void put(Map<String, String> options, String key, String value) {
            if (value != null) {
                options.put(key, value);
            }
        }
    }

    @Command(name = "list", description = "List remotes.")
    static final class ListRemotes extends Sub {
        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            try (Mver mver = open()) {
                List<RemoteService.RemoteView> remotes = mver.remotes();
                if (json) {
                    ctx().out().print(Json.canonical(remotes));
                } else {
                    Format.Table t = new Format.Table();
                    remotes.forEach(r -> t.row(r.name(), r.url(), r.isDefault() ? "(default)" : "",
                            r.config().option("endpoint") == null ? "" : "endpoint " + r.config().option("endpoint")));
                    t.print(ctx().out());
                }
                ctx().out().flush();
                return 0;
            }
        }
    }

    @Command(name = "remove", description = "Remove a remote from the config (its objects stay where they are).")
    static final class Remove extends Sub {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            try (Mver mver = open()) {
                mver.removeRemote(name);
                ctx().out().println("removed remote " + name);
                ctx().out().flush();
                return 0;
            }
        }
    }
}
