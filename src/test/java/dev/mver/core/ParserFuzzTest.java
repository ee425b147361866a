package dev.mver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.core.config.RemoteConfig;
import dev.mver.core.config.WorkspaceConfig;
import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.store.Manifest;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.EventTag;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import dev.mver.testing.Mutations;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;

/**
 * Seeded random mutations of valid inputs for the parsers that read repository content: each mutant is either
 * accepted as a value that keeps every invariant (canonical, safe paths, valid refs) or refused with a one-line
 * {@link MverException}; never another exception, never a value that could escape the tree or a ref.
 */
class ParserFuzzTest {
    static final int ROUNDS = 20_000;
    /** Characters that would mean something to a shell or break a ref or a terminal line. */
    static final Pattern UNSAFE = Pattern.compile("[\\s;|&$`'\"<>\\\\*?~^:\\[\\]{}()\\p{Cntrl}\\u0080-\\uffff]");
    static final Sha256 H = Sha256.ofHex("ab".repeat(32));

    /** Runs the mutants of {@code valid} through {@code parse}; returns how many were accepted. */
    private static <T> int fuzz(long seed, byte[] valid, Function<byte[], T> parse, ExitCode refusal,
                                java.util.function.Consumer<T> invariants) {
        Random random = new Random(seed);
        invariants.accept(parse.apply(valid));
        int accepted = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] m = Mutations.mutate(valid, random);
            T value;
            try {
                value = parse.apply(m);
            } catch (MverException e) {
                assertEquals(refusal, e.exitCode(), e.getMessage());
                assertEquals(1, e.getMessage().lines().count(), "one line: " + e.getMessage());
                assertFalse(e.getMessage().chars().anyMatch(c -> c < 0x20 && c != '\t'),
                        "no control characters reach the terminal: " + e.getMessage());
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("mutant " + new String(m, StandardCharsets.UTF_8) + " threw " + e, e);
            }
            if (value != null) {
                accepted++;
                invariants.accept(value);
            }
        }
        return accepted;
    }

    private static void safePath(RepoPath p) {
        assertEquals(p, RepoPath.of(p.value()));
        assertFalse(p.value().startsWith("/") || p.value().endsWith("/") || p.value().contains("//"), p.value());
        for (String segment : p.value().split("/")) {
            assertFalse(List.of(".", "..", ".git").contains(segment.toLowerCase(java.util.Locale.ROOT)), p.value());
            assertFalse(segment.chars().anyMatch(c -> c < 0x20 || c == '\\'), p.value());
        }
    }

    @Test
    void mutated_manifests_are_refused_or_canonical_with_safe_unique_paths() {
        Manifest valid = Manifest.of(List.of(new Manifest.Entry(RepoPath.of("enc/vocab.txt"), H, 12),
                new Manifest.Entry(RepoPath.of("weights.bin"), H, 1 << 20), new Manifest.Entry(RepoPath.of("a"), H, 0)));
        fuzz(7, valid.toBytes(), Manifest::parse, ExitCode.INTEGRITY, m -> {
            assertEquals(m, Manifest.of(m.files()), "sorted, no duplicates, no case-folded twins");
            m.files().forEach(e -> {
                safePath(e.path());
                assertTrue(e.size() >= 0);
            });
            assertEquals(m, Manifest.parse(m.toBytes()));
        });
    }

    @Test
    void mutated_tag_payloads_are_refused_or_pin_valid_hashes_and_safe_paths() {
        TagPayload valid = new TagPayload(TagPayload.SCHEMA, ModelName.of("churn"), "1.2.3", 4,
                RepoPath.of(".mver/models/churn.json"), H,
                List.of(new ArtifactRef(RepoPath.of("models/churn/model.bin"), ArtifactType.FILE, H, 1 << 20)),
                new TagPayload.Previous("1.2.2", "c".repeat(40)), "retrained on the November snapshot");
        String message = valid.toMessage();
        fuzz(11, message.getBytes(StandardCharsets.UTF_8),
                b -> TagPayload.fromMessage("churn@v1.2.3", new String(b, StandardCharsets.UTF_8)), ExitCode.INTEGRITY,
                p -> {
                    safePath(p.metadataPath());
                    p.artifacts().forEach(a -> safePath(a.path()));
                    assertTrue(p.seq() >= 1);
                    assertEquals(p, TagPayload.fromMessage("x", p.toMessage()), "what is read writes back the same");
                });
    }

    @Test
    void mutated_event_payloads_are_refused_or_valid() {
        EventPayload valid = new EventPayload(EventPayload.SCHEMA, ModelName.of("churn"), "promote", "1.2.3",
                StageName.of("production"), 7, null, "ship it");
        fuzz(13, valid.toMessage().getBytes(StandardCharsets.UTF_8),
                b -> EventPayload.fromMessageOrNull("churn#production#7", new String(b, StandardCharsets.UTF_8)),
                ExitCode.INTEGRITY, p -> assertTrue(p.number() >= 1));
    }

    @Test
    void mutated_ref_names_parse_only_to_valid_git_refs_that_are_safe_in_a_shell() {
        for (String valid : List.of("churn@v1.2.3", "refs/tags/fraud-detector@v10.0.0-rc.1+build.5", "churn@v1.2.3!",
                "churn#production#12", "churn#staging!#3", "churn@deprecated", "models/churn=churn@v1.0.0",
                "churn#dev")) {
            int accepted = fuzz(valid.hashCode(), valid.getBytes(StandardCharsets.UTF_8),
                    b -> EventTag.parseOrNull(new String(b, StandardCharsets.UTF_8)), ExitCode.USAGE, t -> {
                        assertTrue(Repository.isValidRefName(t.refName()), t.refName());
                        assertFalse(UNSAFE.matcher(t.shortName()).find(), "shell-safe: " + t.shortName());
                        assertEquals(t, EventTag.parseOrNull(t.refName()), "round trip of " + t.refName());
                        TagName name = TagName.parseOrNull(t.shortName());
                        assertEquals(t.kind() == EventTag.Kind.REGISTER, name != null);
                    });
            assertTrue(accepted > 0, "some mutants of " + valid + " are still tags");
        }
    }

    @Test
    void mutated_model_names_and_version_specs_are_refused_as_usage_errors_or_safe() {
        fuzz(17, "fraud-detector_v2".getBytes(StandardCharsets.UTF_8),
                b -> ModelName.of(new String(b, StandardCharsets.UTF_8)), ExitCode.USAGE, n -> {
                    assertFalse(UNSAFE.matcher(n.value()).find(), "shell-safe: " + n.value());
                    assertTrue(Repository.isValidRefName("refs/tags/" + n.value() + "@v1.0.0"), n.value());
                });
        for (String valid : List.of("churn@v1.2.3", "churn@1.2.3-rc.1", "churn#production", "churn")) {
            fuzz(valid.hashCode(), valid.getBytes(StandardCharsets.UTF_8),
                    b -> VersionSpec.parse(new String(b, StandardCharsets.UTF_8)), ExitCode.USAGE, s -> {
                        assertFalse(UNSAFE.matcher(s.model().value()).find(), s.model().value());
                        if (s.stage() != null) {
                            assertTrue(StageName.isValid(s.stage().value()), s.stage().value());
                        }
                    });
        }
    }

    @Test
    void mutated_configs_are_refused_or_carry_no_line_breaks_in_remote_values() {
        WorkspaceConfig valid = WorkspaceConfig.defaults().withRemotes(Map.of(
                "shared", new RemoteConfig("../store"),
                "s3", new RemoteConfig("s3://bucket/prefix", Map.of("endpoint", "http://127.0.0.1:9000",
                        "region", "us-east-1", "path_style", "true", "checksum", "sha256"))),
                "s3");
        fuzz(19, Json.canonicalBytes(valid), WorkspaceConfig::parse, ExitCode.USAGE, c -> {
            if (c.remotes() != null) {
                c.remotes().forEach((name, r) -> {
                    List<String> values = new java.util.ArrayList<>(List.of(name, r.url()));
                    values.addAll(r.options().values());
                    for (String v : values) {
                        assertTrue(v == null || v.chars().noneMatch(ch -> ch == '\r' || ch == '\n' || ch == 0),
                                "no CR, LF or NUL: " + v);
                    }
                });
            }
        });
    }
}
