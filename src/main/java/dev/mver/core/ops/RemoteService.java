package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.RemoteConfig;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.remote.RemoteStores;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import dev.mver.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code mver remote add|list|remove}: artifact remotes in the committed config. */
public final class RemoteService {
    private final Workspace ws;

    public RemoteService(Workspace ws) {
        this.ws = ws;
    }

    @JsonPropertyOrder({"name", "url", "default", "endpoint", "region", "path_style", "checksum"})
    public record RemoteView(String name, String url, boolean isDefault, String endpoint, String region,
                             Boolean pathStyle, String checksum) {
        @com.fasterxml.jackson.annotation.JsonProperty("default")
        public boolean isDefault() {
            return isDefault;
        }
    }

    public RemoteView add(String name, RemoteConfig remote, boolean makeDefault) {
        try {
            RemoteConfig.requireValidName(name);
        } catch (IllegalArgumentException e) {
            throw MverException.usage("%s", e.getMessage());
        }
        Map<String, RemoteConfig> remotes = new TreeMap<>(ws.config().remotesOrEmpty());
        if (remotes.containsKey(name)) {
            throw MverException.conflict("remote '%s' already exists (mver remote remove %s first)", name, name);
        }
        if (!remote.isS3()) {
            createFolder(remote);
        }
        remotes.put(name, remote);
        String def = makeDefault || remotes.size() == 1 ? name : ws.config().defaultRemote();
        ws.saveConfig(ws.config().withRemotes(remotes, def));
        return view(name, remote);
    }

    /** A folder remote is created when it is added; later, a missing folder means an unmounted share. */
    private void createFolder(RemoteConfig remote) {
        try (RemoteStore store = RemoteStores.open(ws, remote)) {
            java.nio.file.Files.createDirectories(java.nio.file.Path.of(store.describe()));
        } catch (java.io.IOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot create the remote folder: " + e.getMessage(), e);
        }
    }

    public void remove(String name) {
        Map<String, RemoteConfig> remotes = new TreeMap<>(ws.config().remotesOrEmpty());
        if (remotes.remove(name) == null) {
            throw MverException.notFound("no remote named '%s'", Text.printable(name, 40));
        }
        String def = name.equals(ws.config().defaultRemote()) ? null : ws.config().defaultRemote();
        ws.saveConfig(ws.config().withRemotes(remotes, def));
    }

    public List<RemoteView> list() {
        List<RemoteView> out = new ArrayList<>();
        ws.config().remotesOrEmpty().forEach((name, r) -> out.add(view(name, r)));
        return out;
    }

    private RemoteView view(String name, RemoteConfig r) {
        return new RemoteView(name, r.url(), name.equals(ws.config().defaultRemote()), r.endpoint(), r.region(),
                r.pathStyle(), r.checksum());
    }

    /** The remote to use: the named one, else the default; exit 4 when there is none. */
    public static Map.Entry<String, RemoteConfig> select(Workspace ws, String name) {
        Map<String, RemoteConfig> remotes = ws.config().remotesOrEmpty();
        String chosen = name != null ? name : ws.config().defaultRemote();
        if (chosen == null) {
            throw MverException.notFound(remotes.isEmpty() ? "no artifact remote is configured (mver remote add NAME URL)"
                    : "no default remote; pass --remote NAME (remotes: %s)", String.join(", ", remotes.keySet()));
        }
        RemoteConfig r = remotes.get(chosen);
        if (r == null) {
            throw MverException.notFound("no remote named '%s'", Text.printable(chosen, 40));
        }
        return Map.entry(chosen, r);
    }
}
