package dev.mver.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One artifact remote as committed in {@code .mver/config.json}: a URL whose scheme picks the kind of storage
 * (a folder path, {@code s3://}, ...) and the options that kind reads, written beside the URL
 * ({@code {"url": "s3://bucket/models", "region": "eu-west-1", "path_style": true}}). Only what is safe for any
 * kind is checked here (no control characters, names of options); each kind checks its own options when it is
 * added or opened. Never holds credentials: those come from the storage's standard sources at run time.
 */
public record RemoteConfig(String url, Map<String, String> options) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern OPTION = Pattern.compile("[a-z][a-z0-9_]{0,40}");

    public RemoteConfig {
        requireClean("url", url);
        if (url == null || url.isBlank()) {
            throw MverException.invalid("remote url is empty");
        }
        options = options == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(options));
        options.forEach((k, v) -> {
            if (k == null || !OPTION.matcher(k).matches() || k.equals("url")) {
                throw MverException.invalid("remote option '" + Text.printable(String.valueOf(k), 40)
                        + "' is not a valid option name");
            }
            requireClean(k, v);
            if (v == null) {
                throw MverException.invalid("remote option '" + k + "' has no value");
            }
        });
    }

    public RemoteConfig(String url) {
        this(url, Map.of());
    }

    /** An option's value; null when it is not set. */
    public String option(String name) {
        return options.get(name);
    }

    /** A yes/no option ({@code "path_style": true}). */
    public boolean flag(String name) {
        return "true".equals(options.get(name));
    }

    /** The URL's scheme, lower case ({@code s3}), or null for a folder path. */
    public String scheme() {
        int colon = url.indexOf("://");
        return colon <= 0 ? null : url.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    static RemoteConfig fromJson(ObjectNode json) {
        JsonNode url = json.get("url");
        if (url == null || !url.isTextual()) {
            throw MverException.invalid("a remote needs a \"url\"");
        }
        Map<String, String> options = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("url")) {
                continue;
            }
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw MverException.invalid("remote option '" + Text.printable(e.getKey(), 40)
                        + "' must be a string, a number or true/false");
            }
            options.put(e.getKey(), e.getValue().asText());
        }
        return new RemoteConfig(url.asText(), options);
    }

    /** {@code url} first, then the options in name order; true and false as JSON booleans. */
    @JsonValue
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("url", url);
        options.forEach((k, v) -> {
            if (v.equals("true") || v.equals("false")) {
                json.put(k, Boolean.parseBoolean(v));
            } else {
                json.put(k, v);
            }
        });
        return json;
    }

    public static void requireValidName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw MverException.invalid("remote name '" + Text.printable(String.valueOf(name), 40)
                    + "' is not valid (letters, digits, '-', '_')");
        }
    }

    private static void requireClean(String what, String value) {
        if (value != null && value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw MverException.invalid(what + " contains a control character (CR, LF, NUL...)");
        }
    }
}
