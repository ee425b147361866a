package dev.mver.core.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RequirementsTest {
    @TempDir
    Path dir;

    Map<String, String> read(String name, String text) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return Requirements.read(f);
    }

    @Test
    void reads_pip_freeze_output_with_comments_and_markers() throws Exception {
        assertEquals(Map.of("scikit-learn", "1.5.2", "numpy", ">=2.0,<3", "torch", "2.4.1+cpu", "requests", "*",
                        "typing-extensions", "4.12.2"),
                read("requirements.txt", """
                        # trained with
                        scikit-learn==1.5.2
                        numpy>=2.0,<3
                        torch==2.4.1+cpu ; platform_system == "Linux"
                        requests[socks]
                        Typing_Extensions==4.12.2  # pinned
                        -r other.txt
                        --index-url https://example.invalid/simple
                        """));
    }

    @Test
    void reads_pip_compile_output_with_hashes_and_continuations() throws Exception {
        assertEquals(Map.of("numpy", "2.1.3", "pandas", "2.2.3"), read("requirements.lock", """
                numpy==2.1.3 \\
                    --hash=sha256:aaaa \\
                    --hash=sha256:bbbb
                    # via pandas
                pandas==2.2.3 \\
                    --hash=sha256:cccc
                """));
    }

    @Test
    void reads_poetry_and_uv_lock_files() throws Exception {
        assertEquals(Map.of("numpy", "2.1.3", "scikit-learn", "1.5.2"), read("poetry.lock", """
                [[package]]
                name = "numpy"
                version = "2.1.3"
                description = "x"

                [package.dependencies]
                foo = ">=1"

                [[package]]
                name = "scikit_learn"
                version = "1.5.2"
                """));
    }

    @Test
    void reads_pipfile_lock() throws Exception {
        assertEquals(Map.of("numpy", "2.1.3", "pytest", "8.3.3"), read("Pipfile.lock", """
                {"_meta": {}, "default": {"numpy": {"version": "==2.1.3"}},
                 "develop": {"pytest": {"version": "==8.3.3"}}}
                """));
    }

    @Test
    void an_unreadable_line_is_a_usage_error_naming_the_line() {
        MverException e = assertThrows(MverException.class, () -> read("requirements.txt", "numpy==1\n!!!\n"));
        assertEquals(ExitCode.USAGE, e.exitCode());
        assertEquals(true, e.getMessage().contains(":2:"), e.getMessage());
    }
}
