package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A kind of artifact storage behind a remote URL: which URLs it serves, which options it reads, and how to open its
 * store. A new kind (Azure Blob, Google Cloud Storage) is one class with its kind and one line in
 * {@link RemoteKinds}.
 */
public interface RemoteKind {
    /** The kind's name in messages ({@code S3}, {@code folder}). */
    String name();

    /** Whether this kind serves {@code remote}'s URL (by its scheme). */
    boolean serves(RemoteConfig remote);

    /** The options this kind reads; any other is refused. */
    Set<String> options();

    /** Refuses (exit 2) what this kind cannot use: a malformed URL or an invalid option value. */
    void validate(RemoteConfig remote);

    /**
     * Where a store is opened: {@code workTree} anchors relative paths (a committed config means the same
     * everywhere), {@code env} is the environment to read credentials and settings from, {@code jobs} how many
     * transfers (objects or parts of one) may run at once.
     */
    record Context(Path workTree, Map<String, String> env, int jobs) {
    }

    /** Opens the store. */
    RemoteStore open(RemoteConfig remote, Context context);

    /** Prepares a remote that is being added (a folder is created); nothing by default. */
    default void create(RemoteConfig remote, Path workTree) {
    }
}
