package dev.mver.core.remote;

import dev.mver.core.config.RemoteConfig;
import java.nio.file.Path;
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

    /** Opens the store; {@code workTree} anchors relative paths, so a committed config means the same everywhere. */
    RemoteStore open(RemoteConfig remote, Path workTree);

    /** Prepares a remote that is being added (a folder is created); nothing by default. */
    default void create(RemoteConfig remote, Path workTree) {
    }
}
