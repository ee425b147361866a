package dev.mver.core.value;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A file artifact, or a directory artifact whose object is a manifest of its files. */
public enum ArtifactType {
    FILE, DIR;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ArtifactType of(String id) {
        for (ArtifactType t : values()) {
            if (t.id().equals(id)) {
                return t;
            }
        }
        throw MverException.invalid("unknown artifact type '" + id + "' (expected file or dir)");
    }
}
