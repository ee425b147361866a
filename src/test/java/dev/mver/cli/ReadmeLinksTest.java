package dev.mver.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's contents and reference links lead somewhere: every #anchor is a heading, every file exists. */
class ReadmeLinksTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9 _-]", "").replace(' ', '-');
    }

    @Test
    void every_link_in_the_readme_resolves() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> anchors = new HashSet<>();
        readme.lines().filter(l -> l.startsWith("#")).forEach(l -> anchors.add(anchor(l.replaceFirst("^#+\\s*", ""))));
        List<String> broken = new ArrayList<>();
        Matcher m = LINK.matcher(readme);
        while (m.find()) {
            String target = m.group(1);
            if (target.startsWith("http")) {
                continue;
            }
            if (target.startsWith("#") ? !anchors.contains(target.substring(1))
                    : !Files.exists(Path.of(target.replaceFirst("#.*", "")))) {
                broken.add(target);
            }
        }
        assertTrue(broken.isEmpty(), "links that lead nowhere: " + broken);
        assertTrue(readme.contains("](docs/exit-codes.md)") && readme.contains("](docs/guarantees.md)")
                && readme.contains("](docs/files.md)"), "the reference parts are linked");
    }
}
