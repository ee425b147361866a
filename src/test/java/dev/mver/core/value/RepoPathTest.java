package dev.mver.core.value;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoPathTest {

    @ParameterizedTest
    @ValueSource(strings = {"model.pkl", "models/churn/model.pkl", "a b/c d.bin", "über/modèle.onnx", ".hidden/x",
            "x..y", "...x"})
    void accepts_ordinary_relative_paths(String path) {
        assertEquals(path, RepoPath.of(path).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a/./b", ".", "..", "a//b", "a/", ".git/hooks/x",
            "a/.GIT/config", ".Git", "a/.git./x", "a\\b", "a\u0000b", "a\nb", "C:/x", "git~1/config", "a/.git "})
    void rejects_paths_that_could_escape_the_tree_or_reach_git(String path) {
        assertThrows(MverException.class, () -> RepoPath.of(path));
    }
}
