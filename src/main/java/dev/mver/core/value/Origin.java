package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who made a registry tag, as the registry's integrity rules see it: mver (a payload that checks out), another
 * tool (GTO, a hand-made tag: no payload, in a model mver has not registered yet or below its first mver version),
 * or nobody honest (a version mver registered whose tag no longer carries its payload: tampering).
 */
public enum Origin {
    MVER("mver"),
    OTHER_TOOL("other_tool"),
    TAMPERED("tampered");

    private final String id;

    Origin(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @Override
    public String toString() {
        return id;
    }
}
