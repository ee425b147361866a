package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.remote.s3.S3Remote;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import dev.mver.core.workspace.Workspace;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Every kind of remote mver knows, and the one place that picks the kind for a URL. */
public final class RemoteKinds {
    private static final List<RemoteKind> KINDS = List.of(S3Remote.KIND, FolderRemote.KIND);

    private RemoteKinds() {
    }

    /** The kind that serves {@code remote}, its options checked; exit 2 when none does or an option is wrong. */
    public static RemoteKind of(RemoteConfig remote) {
        for (RemoteKind kind : KINDS) {
            if (kind.serves(remote)) {
                TreeSet<String> unknown = new TreeSet<>(remote.options().keySet());
                unknown.removeAll(kind.options());
                if (!unknown.isEmpty()) {
                    throw MverException.usage("%s remotes take no option %s%s", kind.name(), String.join(", ", unknown),
                            kind.options().isEmpty() ? "" : " (they take " + String.join(", ",
                                    new TreeSet<>(kind.options())) + ")");
                }
                kind.validate(remote);
                return kind;
            }
        }
        throw MverException.usage("unsupported remote url '%s' (use s3://bucket/prefix or a folder path)",
                Text.printable(remote.url(), 80));
    }

    /** Opens the store behind {@code remote}, reading settings from {@code env}, with {@code jobs} transfers at once. */
    public static RemoteStore open(Workspace ws, RemoteConfig remote, Map<String, String> env, int jobs) {
        return of(remote).open(remote, new RemoteKind.Context(ws.root(), env, jobs));
    }
}
