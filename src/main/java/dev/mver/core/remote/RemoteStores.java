package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.workspace.Workspace;
import java.nio.file.Path;

/** Opens the store behind a configured remote. */
public final class RemoteStores {
    private RemoteStores() {
    }

    public static RemoteStore open(Workspace ws, RemoteConfig config) {
        if (config.isS3()) {
            return new S3Remote(config);
        }
        String url = config.url();
        Path path = Path.of(url.startsWith("file://") ? url.substring("file://".length()) : url);
        // A relative folder is relative to the work tree, so the committed config means the same for everyone.
        return new FolderRemote(path.isAbsolute() ? path : ws.root().resolve(path));
    }
}
