package dev.mver.core.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mver.core.MverException;
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
        assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(e("A"), e("a"))));
        assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(e("a"), e("a/b"))));
        assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(e("x"), e("x"))));
    }

    @Test
    void refuses_hostile_paths_when_parsing() {
        for (String path : List.of("../evil", ".git/hooks/pre-commit", "/abs", "a\\\\b")) {
            String json = "{\"schema\":\"mver/manifest/v1\",\"files\":[{\"path\":\"" + path + "\",\"sha256\":\""
                    + H.hex() + "\",\"size\":0}]}";
            assertThrows(MverException.class, () -> Manifest.parse(json.getBytes(StandardCharsets.UTF_8)), path);
        }
    }
}
