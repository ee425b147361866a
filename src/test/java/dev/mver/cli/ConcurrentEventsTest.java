package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.Repos;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clones writing events of one model at once: each numbers them after what it has, so only the push can tell
 * that the numbers clash. It must refuse, renumber on --retry, and leave one total order every clone verifies.
 */
class ConcurrentEventsTest {
    @TempDir
    Path tmp;

    Path a;
    Cli ca;
    Path b;
    Cli cb;

    @BeforeEach
    void setUp() {
        a = Repos.withOrigin(tmp, "a", true);
        ca = new Cli(a);
        ca.run("remote", "add", "shared", "../store", "--default").ok();
        Files2.random(a.resolve("m.pkl"), 1000, 1);
        ca.run("register", "m", "--version", "1.0.0", "-m", "first", "--artifact", "m.pkl").ok();
        Files2.random(a.resolve("m.pkl"), 1000, 2);
        ca.run("register", "m", "--bump", "minor", "-m", "second").ok();
        ca.run("push").ok();
        b = tmp.resolve("b");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), b.toString()).ok();
        cb = ca.in(b);
    }

    private static Set<Long> numbers(Cli cli) {
        Set<Long> out = new TreeSet<>();
        for (String line : cli.run("history", "m", "--json").ok().out().split("\n")) {
            if (line.strip().startsWith("\"number\"")) {
                out.add(Long.parseLong(line.replaceAll("[^0-9]", "")));
            }
        }
        return out;
    }

    @Test
    void two_clones_promoting_at_once_cannot_both_publish_one_event_number_and_retry_renumbers() {
        ca.run("promote", "m@v1.0.0", "staging", "-m", "QA").ok();
        cb.run("promote", "m@v1.1.0", "production", "-m", "ship").ok();
        ca.run("push").ok();
        String remoteTags = git(tmp.resolve("origin.git"), "tag", "-l").ok().out();

        Cli.Result refused = cb.run("push").fails(5);
        assertTrue(refused.err().contains("event 3 of m (m#production#3) is not after the events already on 'origin'")
                && refused.err().contains("mver push --retry"), refused.err());
        assertEquals(remoteTags, git(tmp.resolve("origin.git"), "tag", "-l").ok().out(), "nothing published");

        Cli.Result retried = cb.run("push", "--retry").ok();
        assertTrue(retried.err().contains("renumbered m#production#3 -> m#production#4 (event 4)"), retried.err());
        ca.run("fetch").ok();
        for (Cli c : List.of(ca, cb)) {
            assertEquals(0, c.run("verify").code(), c.run("verify").out());
            assertEquals(Set.of(1L, 2L, 3L, 4L), numbers(c));
            String stages = c.run("stages", "m").ok().out();
            assertTrue(stages.contains("v1.0.0") && stages.contains("v1.1.0"), stages);
        }
        assertFalse(git(b, "tag", "-l", "m#production#3").ok().out().contains("m#production#3"));
    }

    @Test
    void a_registration_numbered_alike_with_a_pushed_promotion_is_renumbered_with_its_chain() {
        ca.run("promote", "m@v1.1.0", "production", "-m", "ship").ok();
        ca.run("push").ok();
        Files2.random(b.resolve("m.pkl"), 1000, 3);
        cb.run("register", "m", "--bump", "minor", "-m", "third").ok();
        cb.run("promote", "m@v1.2.0", "staging", "-m", "QA").ok();

        Cli.Result refused = cb.run("push").fails(5);
        assertTrue(refused.err().contains("mver push --retry"), refused.err());
        cb.run("push", "--retry").ok();
        ca.run("fetch").ok();
        git(a, "pull", "-q", "origin", git(a, "rev-parse", "--abbrev-ref", "HEAD").ok().out().strip()).ok();
        ca.run("checkout").ok();
        for (Cli c : List.of(ca, cb)) {
            assertEquals(0, c.run("verify", "--all").code(), c.run("verify", "--all").out());
            assertEquals(Set.of(1L, 2L, 3L, 4L, 5L), numbers(c));
        }
        assertTrue(cb.run("show", "m@v1.2.0").ok().out().contains("1.2.0"));
    }

    @Test
    void both_clones_promoting_to_the_same_stage_under_one_name_are_told_apart_by_the_tag_object() {
        ca.run("promote", "m@v1.0.0", "production", "-m", "A ships v1.0.0").ok();
        cb.run("promote", "m@v1.1.0", "production", "-m", "B ships v1.1.0").ok();
        ca.run("push").ok();
        assertTrue(cb.run("push").fails(5).err().contains("mver push --retry"));
        Cli.Result retried = cb.run("push", "--retry").ok();
        assertTrue(retried.err().contains("m#production#3 -> m#production#4"), retried.err());
        ca.run("fetch").ok();
        for (Cli c : List.of(ca, cb)) {
            assertEquals(0, c.run("verify").code(), c.run("verify").out());
            assertTrue(c.run("stages", "m").ok().out().contains("v1.1.0"), "B's later promotion is the occupant");
        }
    }

    @Test
    void an_event_numbered_only_in_its_payload_still_collides_and_nothing_is_lost_on_retry() {
        ca.run("deprecate", "m@v1.0.0", "-m", "leaked labels").ok();
        ca.run("push").ok();
        cb.run("deprecate", "m@v1.0.0", "-m", "leaked labels, found in B").ok();
        cb.run("promote", "m@v1.1.0", "production", "-m", "ship").ok();
        Cli.Result refused = cb.run("push").fails(5);
        assertTrue(refused.err().contains("has events this clone has not fetched"), refused.err());
        Cli.Result retried = cb.run("push", "--retry").ok();
        assertTrue(retried.err().contains("m@v1.0.0! dropped: the remote has it already"), retried.err());
        assertEquals("1.1.0", cb.run("show", "m#production", "--json").ok().out().contains("\"version\": \"1.1.0\"")
                ? "1.1.0" : cb.run("show", "m#production", "--json").out());
        ca.run("fetch").ok();
        for (Cli c : List.of(ca, cb)) {
            assertEquals(0, c.run("verify").code(), c.run("verify").out());
        }
    }
}
