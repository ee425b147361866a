package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The JSON carried in a registration tag's message. It pins the metadata and artifact hashes and links the
 * previous version's tag object, so a release can be checked from its tag alone and the chain of versions is
 * tamper-evident.
 */
@JsonPropertyOrder({"schema", "model", "version", "seq", "metadata_path", "metadata_sha256", "artifacts", "previous",
        "reason"})
public record TagPayload(String schema, ModelName model, String version, long seq, RepoPath metadataPath,
                         Sha256 metadataSha256, List<ArtifactRef> artifacts, Previous previous,
                         String reason) {
    public static final String SCHEMA = "mver/tag/v1";

    @JsonPropertyOrder({"version", "tag_object"})
    public record Previous(String version, String tagObject) {
        private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

        public Previous {
            SemVer.parse(version);
            if (tagObject == null || !OBJECT_ID.matcher(tagObject).matches()) {
                throw MverException.invalid("previous.tag_object is not an object id");
            }
        }
    }

    public TagPayload {
        if (!SCHEMA.equals(schema)) {
            throw MverException.invalid("schema must be \"" + SCHEMA + "\"");
        }
        if (model == null || metadataPath == null || metadataSha256 == null) {
            throw MverException.invalid("model, metadata_path and metadata_sha256 are required");
        }
        SemVer.parse(version);
        if (seq < 1) {
            throw MverException.invalid("seq must be at least 1");
        }
        artifacts = artifacts == null ? List.of() : List.copyOf(artifacts);
    }

    /** The tag message: a one-line summary, a blank line, then this payload as canonical JSON. */
    public String toMessage() {
        return model + " " + SemVer.parse(version).tagForm() + ": " + TagMessage.summary(reason) + "\n\n"
                + Json.canonical(this);
    }

    /** Reads the payload out of a tag message; exit 6 when the tag has none or it is malformed. */
    public static TagPayload fromMessage(String tag, String message) {
        String json = TagMessage.payloadJson(message);
        if (json == null) {
            throw MverException.integrity("tag %s carries no mver payload (was it made by another tool?)", tag);
        }
        return Json.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), TagPayload.class,
                "payload of tag " + tag, ExitCode.INTEGRITY);
    }
}
