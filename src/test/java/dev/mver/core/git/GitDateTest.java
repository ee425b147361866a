package dev.mver.core.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.GitBinary;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** GIT_AUTHOR_DATE and GIT_COMMITTER_DATE are read as git reads them: the same instant, the same zone. */
class GitDateTest {
    static final ZoneId LOCAL = ZoneId.of("Asia/Kolkata"); // +0530: a zone no default would produce by accident

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {
        "@1700000000 +0000",
        "@1700000000 -0230",
        "1700000000 +0100",
        "@1700000000",
        "@0 +0000",
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:13:20+01:00",
        "2023-11-14 22:13:20 +0100",
        "2023-11-14T22:13:20.123-05:00",
        "2023-11-14T22:13:20",
        "2023-11-14 22:13",
        "Tue, 14 Nov 2023 22:13:20 +0100",
        "14 Nov 2023 22:13:20 -0800",
        "Tue, 14 Nov 2023 22:13:20 GMT",
        "Tue Nov 14 22:13:20 2023 +0100",
    })
    void reads_the_forms_git_reads_as_git_does(String text) {
        ZonedDateTime ours = GitDate.parse(text, LOCAL).orElseThrow(() -> new AssertionError("refused " + text));
        String ident = GitBinary.run(tmp, Map.of("GIT_COMMITTER_DATE", text, "TZ", LOCAL.getId()), Set.of(),
                List.of("git", "var", "GIT_COMMITTER_IDENT")).ok().out().strip();
        String gitsTime = ident.substring(ident.indexOf('>') + 2);
        assertEquals(gitsTime, ours.toEpochSecond() + " " + ours.format(DateTimeFormatter.ofPattern("xx")), text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "now", "2023-13-01T00:00:00Z", "2023-11-14T25:00:00Z", "@abc",
        "@1700000000 +01", "@99999999999999999999 +0000", "2023-11-14T22:13:20+01:99", "Nov 14"})
    void refuses_what_it_cannot_read_exactly(String text) {
        assertTrue(GitDate.parse(text, LOCAL).isEmpty(), text);
    }
}
