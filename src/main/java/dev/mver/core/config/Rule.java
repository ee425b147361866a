package dev.mver.core.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The policy rules, each with a stable id used in config, output and documentation. */
public enum Rule {
    MODEL_IN_GIT("model-in-git"),
    CHANGED_WITHOUT_VERSION("changed-without-version"),
    BUMP_TOO_SMALL("bump-too-small"),
    INFORMAL_NAME("informal-name"),
    MISSING_FIELDS("missing-fields"),
    VERSION_ORDER("version-order");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Rule byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst().orElse(null);
    }

    public static String ids() {
        return Arrays.stream(values()).map(Rule::id).collect(Collectors.joining(", "));
    }
}
