package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mver.core.config.RemoteConfig;
import dev.mver.core.remote.RemoteKinds;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import dev.mver.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code mver remote add|list|remove}: artifact remotes in the committed config. */
public final class RemoteService {
    /** What a clone without a remote is told: a teammate's remote only reaches it through the committed config. */
    public static final String NO_REMOTE = "no artifact remote in .mver/config.json on this branch: if a teammate "
            + "added one, it reaches this clone once they commit and push .mver/config.json and you pull; otherwise "
            + "add one: mver remote add NAME URL --default";

    private final Workspace ws;

    public RemoteService(Workspace ws) {
        this.ws = ws;
    }

    /** A remote as listed: its name, whether it is the default, and its URL and options as configured. */
    public record RemoteView(String name, boolean isDefault, RemoteConfig config) {
        public String url() {
            return config.url();
        }

        @JsonValue
        ObjectNode json() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("name", name);
            json.put("url", config.url());
            json.put("default", isDefault);
            config.toJson().properties().forEach(e -> {
                if (!e.getKey().equals("url")) {
                    json.set(e.getKey(), e.getValue());
                }
            });
            return json;
        }
    }

    public RemoteView add(String name, RemoteConfig remote, boolean makeDefault) {
        RemoteConfig.requireValidName(name);
        Map<String, RemoteConfig> remotes = new TreeMap<>(ws.config().remotesOrEmpty());
        if (remotes.containsKey(name)) {
            throw MverException.conflict("remote '%s' already exists (mver remote remove %s first)", name, name);
        }
        RemoteKinds.of(remote).create(remote, ws.root());
        remotes.put(name, remote);
        String def = makeDefault || remotes.size() == 1 ? name : ws.config().defaultRemote();
        ws.saveConfig(ws.config().withRemotes(remotes, def));
        return view(name, remote);
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
        return new RemoteView(name, name.equals(ws.config().defaultRemote()), r);
    }

    /** The remote to use: the named one, else the default; exit 4 when there is none. */
    public static Map.Entry<String, RemoteConfig> select(Workspace ws, String name) {
        Map<String, RemoteConfig> remotes = ws.config().remotesOrEmpty();
        String chosen = name != null ? name : ws.config().defaultRemote();
        if (chosen == null) {
            // A teammate's remote reaches this clone only through the committed config: say so, not just "none".
            throw MverException.notFound(remotes.isEmpty() ? NO_REMOTE
                    : "no default remote; pass --remote NAME (remotes: %s)", String.join(", ", remotes.keySet()));
        }
        RemoteConfig r = remotes.get(chosen);
        if (r == null) {
            throw MverException.notFound("no remote named '%s'", Text.printable(chosen, 40));
        }
        return Map.entry(chosen, r);
    }
}
