package dev.mver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is a library: it never depends on the command-line layer. */
class LayeringTest {
    @Test
    void core_never_imports_picocli_or_the_cli_package() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/mver/core"))) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String text = Files.readString(p);
                    return text.contains("import picocli") || text.contains("dev.mver.cli");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }).map(Path::toString).toList();
            assertEquals(List.of(), offenders);
        }
    }
}
