package dev.mver.core.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Canonical JSON for everything mver writes: snake_case keys in a pinned order, map keys sorted, two-space
 * indent, LF line ends and a trailing newline, so the same value always gives the same bytes and diffs stay small.
 * Reading is strict and bounded: unknown keys, trailing content, deep nesting and huge strings are refused.
 */
public final class Json {
    /** Metadata and tag payloads are small; anything larger is hostile or a mistake. */
    public static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxStringLength(1024 * 1024)
                .maxNumberLength(100)
                .maxDocumentLength(MAX_DOCUMENT_BYTES)
                .build());
    }

    private static final ObjectWriter PRETTY = MAPPER.writer(prettyPrinter());
    private static final ObjectWriter COMPACT = MAPPER.writer();

    private Json() {
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators)
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** The canonical form: pretty, stable, newline-terminated. */
    public static String canonical(Object value) {
        try {
            return PRETTY.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * {@link #canonical}, written to {@code out} as it is made: a 20,000-event report never exists as one string
     * (and its copies) in memory. {@code out} is left open.
     */
    public static void writeCanonical(Object value, java.io.Writer out) {
        try {
            PRETTY.without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(out, value);
            out.write('\n');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static byte[] canonicalBytes(Object value) {
        return canonical(value).getBytes(StandardCharsets.UTF_8);
    }

    /** One line, for tag payloads and logs. */
    public static String compact(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /**
     * Parses {@code bytes} as {@code type}; any problem becomes a {@link MverException} with {@code code} whose
     * message names {@code what} and the first problem, never Jackson's multi-line dump.
     */
    /**
     * Builds and keeps the mapper's reader of {@code type} now, off the thread that will parse one: the first
     * build is most of the cost of a first parse.
     */
    public static void prepare(Class<?> type) {
        MAPPER.readerFor(type);
    }

    public static <T> T parse(byte[] bytes, Class<T> type, String what, ExitCode code) {
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new MverException(code, what + " is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        int lone = loneSurrogate(bytes);
        if (lone >= 0) {
            throw new MverException(code, what + " is not valid: "
                    + new String(bytes, lone, 6, StandardCharsets.US_ASCII) + " at byte " + lone
                    + " is half of a surrogate pair, which is not Unicode text");
        }
        try {
            T value = MAPPER.readValue(bytes, type);
            if (value == null) {
                throw new MverException(code, what + " is empty JSON (null)");
            }
            return value;
        } catch (IOException e) {
            throw new MverException(code, what + " is not valid: " + firstLine(e), e);
        } catch (IllegalArgumentException e) {
            throw new MverException(code, what + " is not valid: " + firstLine(e), e);
        }
    }

    /** Converts a parsed tree into {@code type} with the same strictness and error shape as {@link #parse}. */
    public static <T> T convert(JsonNode tree, Class<T> type, String what, ExitCode code) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw new MverException(code, what + " is not valid: " + firstLine(e), e);
        }
    }

    public static JsonNode parseTree(byte[] bytes, String what, ExitCode code) {
        return parse(bytes, JsonNode.class, what, code);
    }

    /**
     * The offset of the first string escape that is half of a surrogate pair on its own (a high one such as
     * backslash-ud800 not followed by a low one, or a low one alone), or -1. Jackson accepts such an escape and
     * yields a string that UTF-8 cannot encode, which would be written back as {@code ?}. Escapes occur only inside
     * strings, so one pass needs no JSON state beyond stepping over each escape (an escaped backslash followed by
     * the text "ud800" is left alone). Raw UTF-8 bytes that encode a surrogate, and malformed escapes, are refused
     * by Jackson itself.
     */
    static int loneSurrogate(byte[] b) {
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] != '\\') {
                continue;
            }
            int unit = b[i + 1] == 'u' ? hex4(b, i + 2) : -1;
            if (unit < 0) {
                i++; // a one-character escape, or a malformed one
            } else if (Character.isLowSurrogate((char) unit)) {
                return i;
            } else if (Character.isHighSurrogate((char) unit)) {
                int next = i + 7 < b.length && b[i + 6] == '\\' && b[i + 7] == 'u' ? hex4(b, i + 8) : -1;
                if (next < 0 || !Character.isLowSurrogate((char) next)) {
                    return i;
                }
                i += 11;
            } else {
                i += 5;
            }
        }
        return -1;
    }

    private static int hex4(byte[] b, int from) {
        if (from + 4 > b.length) {
            return -1;
        }
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(b[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    static String firstLine(Throwable e) {
        Throwable t = e;
        // Jackson wraps our own validation errors (thrown by the values' constructors): their message is the news.
        while (t.getCause() != null && t.getCause() != t && t instanceof com.fasterxml.jackson.databind.JsonMappingException
                && (t.getCause() instanceof MverException || t.getCause() instanceof IllegalArgumentException)) {
            t = t.getCause();
        }
        String message = t instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                ? jpe.getOriginalMessage() : t.getMessage();
        if (message == null) {
            message = t.getClass().getSimpleName();
        }
        int nl = message.indexOf('\n');
        String line = nl >= 0 ? message.substring(0, nl) : message;
        if (t instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
            line += " (line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr() + ")";
        }
        return Text.printable(line, 300);
    }
}
