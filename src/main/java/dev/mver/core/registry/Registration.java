package dev.mver.core.registry;

import dev.mver.core.value.TagName;
import java.time.Instant;
import org.eclipse.jgit.lib.ObjectId;

/** One registered version as read from its annotated tag. */
public record Registration(TagName tag, ObjectId tagObject, ObjectId commit, String tagger, String taggerEmail,
                           Instant taggedAt, String message, TagPayload payload) {
}
