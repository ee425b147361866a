package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.store.Manifest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every JSON document mver reads is Unicode text: half a surrogate pair is refused, a whole pair is kept. */
class JsonUnicodeTest {
    // The JSON string contents, written with '/' for the backslash so the table reads plainly.
    @ParameterizedTest
    @CsvSource({
        "/ud800, 0",
        "/udc00, 0",
        "/uDFFF, 0",
        "ab/ud800, 2",
        "/ud800/u0041, 0",
        "/ud800/n/udc00, 0",
        "/ude00/ud83d, 0",
        "/ud83d/ude00/ud800, 12",
        "/t/ud800, 2",
        "x/ud83d, 1",
        "/ud83d/ude00, -1",
        "//ud800, -1",
        "/////ud800, 4",
        "/u00e9/u0041, -1",
        "plain text, -1",
        "/ud8, -1",
    })
    void finds_the_first_lone_surrogate_escape(String content, int at) {
        byte[] json = ("\"" + content.replace('/', '\\') + "\"").getBytes(StandardCharsets.US_ASCII);
        assertEquals(at < 0 ? -1 : at + 1, Json.loneSurrogate(json));
    }

    @Test
    void a_lone_surrogate_is_refused_with_the_callers_exit_code_in_any_document() {
        byte[] manifest = "{\"schema\": \"x\\udc00\"}".getBytes(StandardCharsets.US_ASCII);
        MverException e = assertThrows(MverException.class,
                () -> Json.parse(manifest, Manifest.class, "manifest abc", ExitCode.INTEGRITY));
        assertEquals(ExitCode.INTEGRITY, e.exitCode());
        assertTrue(e.getMessage().startsWith("manifest abc is not valid: \\udc00 at byte"), e.getMessage());
    }

    @Test
    void a_surrogate_pair_escape_reads_as_the_character_it_encodes() {
        String text = Json.parseTree("\"\\ud83d\\ude00\"".getBytes(StandardCharsets.US_ASCII), "x", ExitCode.USAGE)
                .asText();
        assertEquals(new String(Character.toChars(0x1F600)), text);
    }
}
