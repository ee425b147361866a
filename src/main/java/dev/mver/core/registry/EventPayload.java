package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.SemVer;
import java.nio.charset.StandardCharsets;

/**
 * The JSON carried by mver's stage and deprecation tags: what happened, to which version, with the model's event
 * number (shared with registrations, so history has one total order that does not depend on clocks).
 */
@JsonPropertyOrder({"schema", "model", "event", "version", "stage", "number", "previous", "reason"})
public record EventPayload(String schema, ModelName model, String event, String version, String stage, long number,
                           String previous, String reason) {
    public static final String SCHEMA = "mver/event/v1";

    public EventPayload {
        if (!SCHEMA.equals(schema)) {
            throw new IllegalArgumentException("schema must be \"" + SCHEMA + "\"");
        }
        if (model == null || event == null || version == null) {
            throw new IllegalArgumentException("model, event and version are required");
        }
        SemVer.parse(version);
        if (number < 1) {
            throw new IllegalArgumentException("number must be at least 1");
        }
    }

    public String toMessage() {
        String what = switch (event) {
            case "promote" -> model + " v" + version + " -> " + stage;
            case "rollback" -> model + " " + stage + " rolled back to v" + version;
            case "demote" -> model + " v" + version + " removed from " + stage;
            default -> model + " v" + version + " deprecated";
        };
        return what + ": " + TagMessage.summary(reason) + "\n\n" + Json.canonical(this);
    }

    /** The payload of an mver event tag, or null when the message has none (a tag made by GTO or by hand). */
    public static EventPayload fromMessageOrNull(String tag, String message) {
        String json = TagMessage.payloadJson(message);
        return json == null ? null : Json.parse(json.getBytes(StandardCharsets.UTF_8), EventPayload.class,
                "payload of tag " + tag, ExitCode.INTEGRITY);
    }
}
