package dev.mver.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    static final Sha256 H = Sha256.hash(new byte[0]);

    static Manifest.Entry e(String path) {
        return new Manifest.Entry(RepoPath.of(path), H, 0);
    }

    @Test
    void sorts_entries_and_round_trips() {
        Manifest m = Manifest.of(List.of(e("b/x"), e("a"), e("b/a")));
        assertEquals(List.of("a", "b/a", "b/x"), m.files().stream().map(x -> x.path().value()).toList());
        assertEquals(m, Manifest.parse(m.toBytes()));
    }

    @Test
    void refuses_case_folded_duplicates_and_file_folder_clashes() {
        assertThrows(MverException.class, () -> Manifest.of(List.of(e("A"), e("a"))));
        assertThrows(MverException.class, () -> Manifest.of(List.of(e("a"), e("a/b"))));
        assertThrows(MverException.class, () -> Manifest.of(List.of(e("x"), e("x"))));
    }

    @Test
    void refuses_hostile_paths_when_parsing() {
        for (String path : List.of("../evil", ".git/hooks/pre-commit", "/abs", "a\\\\b")) {
            String json = "{\"schema\":\"mver/manifest/v1\",\"files\":[{\"path\":\"" + path + "\",\"sha256\":\""
                    + H.hex() + "\",\"size\":0}]}";
            assertThrows(MverException.class, () -> Manifest.parse(json.getBytes(StandardCharsets.UTF_8)), path);
        }
    }

    @Test
    void a_folder_of_plain_files_keeps_the_bytes_earlier_versions_wrote() {
        String v1 = "{\n  \"schema\": \"mver/manifest/v1\",\n  \"files\": [\n    {\n      \"path\": \"a\",\n"
                + "      \"sha256\": \"" + H.hex() + "\",\n      \"size\": 0\n    }\n  ]\n}\n";
        assertEquals(v1, new String(Manifest.of(List.of(e("a"))).toBytes(), StandardCharsets.UTF_8),
                "same manifest hash, so versions registered before stay unchanged in status");
    }

    @Test
    void records_executable_files_and_empty_folders_and_round_trips_them() {
        Manifest m = Manifest.of(List.of(new Manifest.Entry(RepoPath.of("bin/run.sh"), H, 0, true), e("w")),
                List.of(RepoPath.of("logs"), RepoPath.of("assets/empty")));
        assertEquals(List.of("assets/empty", "logs"), m.dirs().stream().map(RepoPath::value).toList());
        assertEquals(m, Manifest.parse(m.toBytes()));
        String json = new String(m.toBytes(), StandardCharsets.UTF_8);
        assertEquals(1, json.split("\"executable\"", -1).length - 1, json);
    }

    @Test
    void refuses_an_empty_folder_that_holds_something() {
        assertThrows(MverException.class, () -> Manifest.of(List.of(e("d/x")), List.of(RepoPath.of("d"))));
        assertThrows(MverException.class, () -> Manifest.of(List.of(e("d")), List.of(RepoPath.of("d"))));
        assertThrows(MverException.class, () -> Manifest.of(List.of(),
                List.of(RepoPath.of("d"), RepoPath.of("d/e"))));
    }
}
