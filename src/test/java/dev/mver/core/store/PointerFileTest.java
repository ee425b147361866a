package dev.mver.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.MverException;
import dev.mver.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PointerFileTest {
    static final String HASH = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final String VALID = "mver-pointer v1\ntype file\nsha256 " + HASH + "\nsize 4\n";

    @Test
    void round_trips_the_canonical_form() {
        PointerFile p = PointerFile.parse(VALID.getBytes(StandardCharsets.UTF_8));
        assertEquals(ArtifactType.FILE, p.type());
        assertEquals(HASH, p.sha256().hex());
        assertEquals(4, p.size());
        assertArrayEquals(VALID.getBytes(StandardCharsets.UTF_8), p.toBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 4",              // no final newline
            "mver-pointer v2\ntype file\nsha256 HASH\nsize 4\n",            // unknown version
            "mver-pointer v1\ntype link\nsha256 HASH\nsize 4\n",            // unknown type
            "mver-pointer v1\ntype file\nsha256 ../../etc/passwd\nsize 4\n", // path as oid
            "mver-pointer v1\ntype file\nsha256 UPPER\nsize 4\n",           // upper-case hex
            "mver-pointer v1\ntype file\nsha256 SHORT\nsize 4\n",           // 63 characters
            "mver-pointer v1\ntype file\nsha256 HASH\nsize -4\n",
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 04\n",
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 99999999999999999999\n",
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 4\nextra x\n",   // unknown key
            "mver-pointer v1\nsha256 HASH\ntype file\nsize 4\n",            // wrong order
            "mver-pointer v1\r\ntype file\nsha256 HASH\r\nsize 4\r\n",      // CRLF on some lines only
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 4\r\n",            // one CR
            "mver-pointer v1\r\r\ntype file\r\r\nsha256 HASH\r\r\nsize 4\r\r\n",
            "mver-pointer v1\rtype file\rsha256 HASH\rsize 4\r",            // CR alone
            "mver-pointer v1\ntype  file\nsha256 HASH\nsize 4\n",           // double space
            "mver-pointer v1\ntype file\nsha256 HASH\nsize 4\n\n",
            "mver-pointer v1\ntype file\nsha256 HASH\u0000\nsize 4\n",
    })
    void rejects_malformed_pointers(String template) {
        String text = template.replace("UPPER", HASH.toUpperCase()).replace("SHORT", HASH.substring(1))
                .replace("HASH", HASH);
        assertThrows(MverException.class, () -> PointerFile.parse(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void accepts_a_pointer_whose_every_line_a_windows_checkout_ended_with_crlf() {
        PointerFile p = PointerFile.parse(VALID.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(VALID.getBytes(StandardCharsets.UTF_8), p.toBytes(), "the same pointer as LF");
    }

    @Test
    void rejects_oversized_pointers_before_reading_them() {
        byte[] big = new byte[PointerFile.MAX_BYTES + 1];
        assertThrows(MverException.class, () -> PointerFile.parse(big));
    }

    @Test
    void mutated_pointers_either_parse_to_a_valid_pointer_or_are_rejected() {
        Random random = new Random(1234);
        byte[] valid = VALID.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 50_000; i++) {
            byte[] m = Mutations.mutate(valid, random);
            try {
                PointerFile p = PointerFile.parse(m);
                // Anything accepted must be exactly canonical, or that with every LF a CRLF (a Windows checkout).
                byte[] canonical = p.toBytes();
                if (!java.util.Arrays.equals(m, canonical)) {
                    assertArrayEquals(new String(canonical, StandardCharsets.UTF_8).replace("\n", "\r\n")
                            .getBytes(StandardCharsets.UTF_8), m);
                }
            } catch (MverException expected) {
                // rejected with a message
            }
        }
    }
}
