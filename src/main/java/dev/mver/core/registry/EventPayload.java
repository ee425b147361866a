package dev.mver.core.registry;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.StageName;
import java.nio.charset.StandardCharsets;

/**
 * The JSON carried by mver's stage and deprecation tags: what happened, to which version, with the model's event
 * number (shared with registrations, so history has one total order that does not depend on clocks). {@code event}
 * is the payload word of the {@link EventType} ({@code promote}, {@code rollback}, {@code demote},
 * {@code deprecate}), as every mver has written it.
 */
@JsonPropertyOrder({"schema", "model", "event", "version", "stage", "number", "previous", "reason"})
public record EventPayload(String schema, ModelName model, String event, String version, StageName stage, long number,
                           String previous, String reason) {
    public static final String SCHEMA = "mver/event/v1";

    public EventPayload {
        if (!SCHEMA.equals(schema)) {
            throw MverException.usage("schema must be \"%s\"", SCHEMA);
        }
        if (model == null || event == null || version == null) {
            throw MverException.usage("model, event and version are required");
        }
        EventType type = EventType.fromWord(event);
        if (type == null || type == EventType.REGISTRATION || type == EventType.MODEL_DEPRECATION) {
            throw MverException.usage("event '%s' is not a stage move or a deprecation", event);
        }
        SemVer.parse(version);
        if (number < 1) {
            throw MverException.usage("number must be at least 1");
        }
    }

    public EventPayload(ModelName model, EventType type, String version, StageName stage, long number,
                        String previous, String reason) {
        this(SCHEMA, model, type.payloadWord(), version, stage, number, previous, reason);
    }

    public EventType type() {
        return EventType.fromWord(event);
    }

    public String toMessage() {
        String what = switch (type()) {
            case PROMOTION -> model + " v" + version + " -> " + stage;
            case ROLLBACK -> model + " " + stage + " rolled back to v" + version;
            case DEMOTION -> model + " v" + version + " removed from " + stage;
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
