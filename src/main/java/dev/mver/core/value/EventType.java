package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a registry event is, in one vocabulary for code, output and documentation. Each has the tag form GTO gives
 * it ({@code NAME@vX.Y.Z}, {@code NAME#STAGE#N}, {@code NAME#STAGE!#N}, {@code NAME@vX.Y.Z!},
 * {@code NAME@deprecated}) and the word mver's event payloads have carried since their first schema
 * ({@code "event": "promote"}), which is still written, so that every mver reads every registry.
 */
public enum EventType {
    /** A new version: {@code NAME@vX.Y.Z}. */
    REGISTRATION("registration", "register"),
    /** A version assigned to a stage: {@code NAME#STAGE#N}. */
    PROMOTION("promotion", "promote"),
    /** A stage given back to an earlier occupant: a promotion tag whose payload says so. */
    ROLLBACK("rollback", "rollback"),
    /** A stage emptied: {@code NAME#STAGE!#N}. */
    DEMOTION("demotion", "demote"),
    /** A version that must not be used any more: {@code NAME@vX.Y.Z!}. */
    DEPRECATION("deprecation", "deprecate"),
    /** The whole model retired, a GTO tag {@code NAME@deprecated} (mver reads it, never writes it). */
    MODEL_DEPRECATION("model_deprecation", "deprecate_model");

    private final String id;
    private final String payloadWord;

    EventType(String id, String payloadWord) {
        this.id = id;
        this.payloadWord = payloadWord;
    }

    /** The name in output and documentation. */
    @JsonValue
    public String id() {
        return id;
    }

    /** The word stored in event payloads ({@code mver/event/v1}). */
    public String payloadWord() {
        return payloadWord;
    }

    /** The event a payload word or an id names; null when none does (a payload of a newer mver). */
    public static EventType fromWord(String word) {
        for (EventType t : values()) {
            if (t.payloadWord.equals(word) || t.id.equals(word)) {
                return t;
            }
        }
        return null;
    }

    /** Whether the event puts a version in a stage (a promotion or a rollback). */
    public boolean assigns() {
        return this == PROMOTION || this == ROLLBACK;
    }

    /** Whether the event's version is what a release builds (the CI template releases on these). */
    public boolean releases() {
        return this == REGISTRATION || assigns();
    }

    @Override
    public String toString() {
        return id;
    }
}
