package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.remote.RemoteStore;
import dev.mver.core.remote.TransferService;
import dev.mver.core.store.ArtifactCache;
import dev.mver.core.value.Sha256;
import dev.mver.core.workspace.Workspace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code verify --remote}: every object the registry needs is on the remote with the right size (one listing), and
 * with {@code deep} the right bytes (each read through and re-hashed, several at once, in constant memory). It also
 * names the versions that have no good copy of some object anywhere it can see (this cache, this remote):
 * unrecoverable until another clone pushes them.
 */
public final class RemoteVerify {
    private final Workspace ws;
    private final RemoteStore remote;
    private final TransferService transfer;
    private final Consumer<String> notice;

    public RemoteVerify(Workspace ws, RemoteStore remote, TransferService transfer, Consumer<String> notice) {
        this.ws = ws;
        this.remote = remote;
        this.transfer = transfer;
        this.notice = notice;
    }

    /** One bad object: what it is, who needs it, what is wrong, where, and what to do. */
    @JsonPropertyOrder({"object", "needed_by", "problem", "where", "fix"})
    public record Finding(String object, List<String> neededBy, String problem, String where, String fix) {
    }

    /** {@code registry}: its tags, and the versions neither this cache nor this remote can rebuild. */
    @JsonPropertyOrder({"ok", "registry", "remote", "objects", "deep", "problems"})
    public record Report(boolean ok, VerifyService.Report registry, String remote, int objects, boolean deep,
                         List<Finding> problems) {
    }

    public Report verify(boolean deep) {
        VerifyService.Checked checked = new VerifyService(ws.repository(), notice).check(false);
        ArtifactCache cache = ws.cache();
        RegistryObjects.Needs needs = RegistryObjects.of(checked.artifacts(), cache, remote);
        Map<Sha256, Long> listed = remote.inventory();
        Map<Sha256, String> bad = new HashMap<>();
        List<TransferService.Needed> toHash = new ArrayList<>();
        for (RegistryObjects.Need n : needs.objects().values()) {
            Long size = listed.get(n.sha());
            if (size == null) {
                bad.put(n.sha(), "missing");
            } else if (n.size() >= 0 && size != n.size()) {
                bad.put(n.sha(), "has " + size + " bytes, not " + n.size());
            } else if (deep) {
                toHash.add(new TransferService.Needed(n.sha(), n.size(), n.users().get(0)));
            }
        }
        transfer.rehashOnRemote(toHash).forEach((sha, got) -> bad.put(sha, "its bytes hash to " + got.shortHex()));
        List<Finding> problems = new ArrayList<>();
        for (RegistryObjects.Need n : needs.objects().values()) {
            String problem = bad.get(n.sha());
            if (problem != null) {
                boolean local = RegistryObjects.inCache(cache, n);
                // push alone uploads a missing copy and replaces one of the wrong size; only --repair re-hashes
                String push = problem.startsWith("its bytes") ? "mver push --repair" : "mver push";
                problems.add(new Finding(n.sha().hex(), n.users(), problem, remote.locate(n.sha()), RegistryObjects.inCache(cache, n)
                        ? push + " (this clone's cache has a good copy)"
                        : "run " + push + " in a clone whose cache has it"));
            }
        }
        VerifyService.Report registry = checked.report().withUnrecoverable(needs.unrecoverable(cache,
                n -> !bad.containsKey(n.sha()), remote.describe()));
        return new Report(registry.ok() && problems.isEmpty(), registry, remote.describe(), needs.objects().size(),
                deep, problems);
    }
}
