package dev.mver.core.registry;

import dev.mver.core.value.Metadata;
import dev.mver.core.value.Origin;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.TagName;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;

/** One registered version as read from its annotated tag; {@code payload} is null for another tool's version. */
public record Registration(TagName tag, ObjectId tagObject, ObjectId commit, String tagger, String taggerEmail,
                           Instant taggedAt, String message, TagPayload payload) {
    public Origin origin() {
        return payload == null ? Origin.OTHER_TOOL : Origin.MVER;
    }

    /** Where the version's record is in its commit. */
    public RepoPath metadataPath() {
        return payload != null ? payload.metadataPath() : Metadata.recordPath(tag.model());
    }
}
