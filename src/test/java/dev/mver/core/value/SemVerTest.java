package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemVerTest {

    @ParameterizedTest
    @CsvSource({
            "1.2.3, 1.2.3",
            "v1.2.3, 1.2.3",
            "0.0.0, 0.0.0",
            "1.0.0-alpha, 1.0.0-alpha",
            "1.0.0-alpha.1, 1.0.0-alpha.1",
            "1.0.0-0.3.7, 1.0.0-0.3.7",
            "1.0.0-x.7.z.92, 1.0.0-x.7.z.92",
            "1.0.0+20130313144700, 1.0.0+20130313144700",
            "1.0.0-beta+exp.sha.5114f85, 1.0.0-beta+exp.sha.5114f85",
            "99999999999999999999.0.0, 99999999999999999999.0.0",
    })
    void parses_valid_versions_and_prints_them_back(String input, String printed) {
        assertEquals(printed, SemVer.parse(input).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "1.2.3-", "1.2.3-01",
            "1.2.3+", "1.2.3-a..b", "-1.2.3", "V1.2.3", "vv1.2.3", "1.2.3 ", " 1.2.3", "1.2.3\n", "1.2.x",
            "1.2.3-a/b", "1.2.3@x", "1.2.3-ä"})
    void rejects_malformed_versions_as_usage_errors(String input) {
        MverException e = assertThrows(MverException.class, () -> SemVer.parse(input));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("not a semantic version") || e.getMessage().contains("empty"));
    }

    @Test
    void orders_versions_by_semver_precedence() {
        // The precedence example of semver.org, section 11.
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0", "1.11.0", "2.0.0",
                "2.1.0", "2.1.1");
        List<SemVer> shuffled = new ArrayList<>(ordered.stream().map(SemVer::parse).toList());
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(SemVer::toString).toList());
    }

    @Test
    void build_metadata_does_not_change_precedence() {
        assertEquals(0, SemVer.parse("1.0.0+a").compareTo(SemVer.parse("1.0.0+b")));
        assertEquals(0, SemVer.parse("1.0.0+a").compareTo(SemVer.parse("1.0.0")));
    }

    @ParameterizedTest
    @CsvSource({
            "1.2.3, major, 2.0.0",
            "1.2.3, minor, 1.3.0",
            "1.2.3, patch, 1.2.4",
            "1.2.3-rc.1, patch, 1.2.3",
            "1.3.0-rc.1, minor, 1.3.0",
            "2.0.0-rc.1, major, 2.0.0",
            "1.2.3+build, patch, 1.2.4",
    })
    void bumps_to_the_next_release(String from, String bump, String to) {
        assertEquals(to, SemVer.parse(from).bump(Bump.parse(bump)).toString());
    }

    @Test
    void unknown_bump_is_a_usage_error() {
        assertEquals(ExitCode.USAGE, assertThrows(MverException.class, () -> Bump.parse("huge")).exitCode());
    }

    @Test
    void the_fast_path_for_plain_releases_agrees_with_the_grammar() {
        assertEquals(SemVer.of(1, 2, 3), SemVer.parse("v1.2.3"));
        assertEquals(new java.math.BigInteger("123456789012345678901"),
                SemVer.parse("123456789012345678901.0.0").major(), "longer numbers than a long still parse");
        assertEquals(java.util.List.of("rc", "1"), SemVer.parse("1.2.3-rc.1").preRelease());
        for (String bad : new String[] {"01.2.3", "1.02.3", "1.2.03", "1.2", "1.2.3.", ".1.2.3", "1..3", "v", "1.2.3 ",
            "1.2.x", "-1.2.3"}) {
            assertEquals(null, SemVer.parseOrNull(bad), bad);
        }
    }

    @Test
    void random_strings_never_crash_the_parser() {
        Random random = new Random(42);
        String alphabet = "0123456789.-+vVabz\n\0/@ ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(20);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                SemVer v = SemVer.parse(sb.toString());
                assertEquals(v, SemVer.parse(v.toString()));
            } catch (MverException e) {
                assertEquals(ExitCode.USAGE, e.exitCode());
            }
        }
    }
}
