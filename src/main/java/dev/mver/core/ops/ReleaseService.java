package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.config.PolicyConfig;
import dev.mver.core.config.Rule;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.CrashPoints;
import dev.mver.core.io.FileTrees;
import dev.mver.core.io.TarGz;
import dev.mver.core.policy.PolicyCheck;
import dev.mver.core.registry.EventLog;
import dev.mver.core.registry.GitRegistry;
import dev.mver.core.registry.RefInterpreter;
import dev.mver.core.registry.Registration;
import dev.mver.core.store.HashingCopy;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.EventType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.Metadata;
import dev.mver.core.value.ModelName;
import dev.mver.core.value.MverException;
import dev.mver.core.value.SemVer;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.StageName;
import dev.mver.core.value.TagName;
import dev.mver.core.value.VersionSpec;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * {@code mver release}: the CI bundle of one version, rebuilt from its tag and checked on the way: the tag's
 * payload against the commit, the metadata's version against the tag, the required fields, every artifact hash.
 * Any failed check leaves no bundle. The same tag always gives a byte-identical archive.
 */
public final class ReleaseService {
    private final Workspace ws;
    private final ArtifactService artifacts;
    private final Consumer<List<ArtifactRef>> fetchMissing;
    private final Consumer<String> notice;

    public ReleaseService(Workspace ws, ArtifactService artifacts, Consumer<List<ArtifactRef>> fetchMissing,
                          Consumer<String> notice) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.fetchMissing = fetchMissing;
        this.notice = notice;
    }

    @JsonPropertyOrder({"path", "sha256", "size"})
    public record FileEntry(String path, String sha256, long size) {
    }

    /** What the bundle holds: the version's alone, so every tag that releases the version gives the same bytes. */
    @JsonPropertyOrder({"schema", "model", "version", "tag", "commit", "tag_object", "metadata_sha256", "files"})
    public record ReleaseManifest(String schema, ModelName model, String version, String tag, String commit,
                                  String tagObject, String metadataSha256, List<FileEntry> files) {
    }

    /**
     * Why this build ran ({@code trigger.json} beside the archive, not in it): the registry event whose tag was
     * pushed, and the archive it produced.
     */
    @JsonPropertyOrder({"schema", "ref", "event", "model", "version", "stage", "number", "by", "at", "message",
            "archive", "archive_sha256"})
    public record Trigger(String schema, String ref, EventType event, ModelName model, String version, StageName stage,
                          Long number, String by, String at, String message, String archive, String archiveSha256) {
    }

    @JsonPropertyOrder({"out", "archive", "archive_sha256", "manifest", "trigger"})
    public record Result(String out, String archive, String archiveSha256, ReleaseManifest manifest, Trigger trigger) {
    }

    /** The file beside the archive that says which event triggered the build. */
    public static final String TRIGGER = "trigger.json";

    public Result release(String ref, Path out) {
        RefInterpreter.Interpretation what = new RefInterpreter(ws.repository(), notice).interpret(ref);
        if (!what.event().releases()) {
            throw MverException.usage("%s is a %s; there is nothing to release", what.tag(), what.event());
        }
        TagName tag = new TagName(what.model(), SemVer.parse(what.version()));
        GitRegistry registry = new GitRegistry(ws.repository());
        Registration reg = registry.read(tag);
        Metadata metadata = registry.metadata(reg);
        EventLog.State state = EventLog.replay(new EventLog(ws.repository()).events(tag.model()));
        if (state.modelDeprecated()) {
            throw MverException.policy("model %s is deprecated (%s@deprecated): a retired model is not released",
                    tag.model(), tag.model());
        }
        if (state.deprecated().contains(what.version())) {
            throw MverException.policy("%s is deprecated; it is not released", tag);
        }
        // The same rule register enforces: a team that turned it off gets releases without those fields.
        PolicyConfig policy = ws.config().policyOrDefaults();
        List<String> missing = policy.enabled(Rule.MISSING_FIELDS) ? PolicyCheck.missingFields(metadata,
                policy.required()) : List.of();
        if (!missing.isEmpty()) {
            throw MverException.policy("%s is missing %s (required by policy); it is not released", tag,
                    String.join(", ", missing));
        }
        Path target = out.toAbsolutePath().normalize();
        if (Files.isSymbolicLink(target)) {
            // The bundle goes where the link leads: moving the finished bundle into place would replace the link.
            try {
                target = target.toRealPath();
            } catch (IOException e) {
                throw MverException.usage("--out %s is a symbolic link to nowhere (%s)", out, e.getMessage());
            }
        }
        requireEmpty(target);
        Path temp = target.resolveSibling("." + target.getFileName() + ".mver-tmp-" + Long.toHexString(System.nanoTime()));
        try {
            Files.createDirectories(temp);
            build(temp, tag, reg, metadata);
            Path archive = temp.resolve(archiveName(tag));
            String archiveSha = sha(archive);
            ReleaseManifest manifest = Json.parse(Files.readAllBytes(temp.resolve("manifest.json")),
                    ReleaseManifest.class, "manifest.json", ExitCode.INTERNAL);
            Trigger trigger = new Trigger("mver/release-trigger/v1", what.tag(), what.event(), what.model(),
                    what.version(), what.stage(), what.number(), what.by(), what.at(), what.message(),
                    archiveName(tag), archiveSha);
            Files.write(temp.resolve(TRIGGER), Json.canonicalBytes(trigger));
            CrashPoints.reached("release: bundle built, not moved into place");
            Files.deleteIfExists(target);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            AtomicFiles.fsyncDirectory(target.getParent());
            return new Result(target.toString(), target.resolve(archiveName(tag)).toString(), archiveSha, manifest,
                    trigger);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the release into " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                FileTrees.delete(temp);
            } catch (IOException e) {
                // a leftover temp folder beside the output; nothing refers to it
            }
        }
    }

    private void build(Path dir, TagName tag, Registration reg, Metadata metadata) throws IOException {
        // The artifacts, verified while written (missing objects come from the default remote).
        Path staging = dir.resolve("artifacts");
        new CheckoutService(ws, artifacts, ProgressListener.NONE, fetchMissing, notice)
                .checkout(new VersionSpec(tag.model(), tag.version()), staging, false);
        // checkout --to also writes the metadata at its repository path; the bundle keeps it at the top.
        FileTrees.delete(staging.resolve(Workspace.MVER_DIR));
        byte[] metadataBytes = new GitRegistry(ws.repository()).readFile(reg.commit(), reg.payload().metadataPath(),
                tag.toString());
        Files.write(dir.resolve("metadata.json"), metadataBytes);
        byte[] requirements = requirements(metadata.libraryVersions());
        Files.write(dir.resolve("requirements.txt"), requirements);

        List<FileEntry> files = new ArrayList<>();
        for (ArtifactRef a : metadata.artifacts()) {
            if (a.type() == ArtifactType.FILE) {
                files.add(new FileEntry("artifacts/" + a.path(), a.sha256().hex(), a.size()));
            } else {
                Manifest m = ws.cache().readManifest(a.sha256(), a.path().value());
                for (Manifest.Entry e : m.files()) {
                    files.add(new FileEntry("artifacts/" + a.path().resolve(e.path()), e.sha256().hex(), e.size()));
                }
            }
        }
        files.add(new FileEntry("metadata.json", Sha256.hash(metadataBytes).hex(), metadataBytes.length));
        files.add(new FileEntry("requirements.txt", Sha256.hash(requirements).hex(), requirements.length));
        files.sort(java.util.Comparator.comparing(FileEntry::path));
        ReleaseManifest manifest = new ReleaseManifest("mver/release/v2", tag.model(), tag.version().toString(),
                tag.toString(), reg.commit().name(), reg.tagObject().name(), reg.payload().metadataSha256().hex(),
                files);
        byte[] manifestBytes = Json.canonicalBytes(manifest);
        Files.write(dir.resolve("manifest.json"), manifestBytes);

        Map<String, String> sums = new TreeMap<>();
        files.forEach(f -> sums.put(f.path(), f.sha256()));
        sums.put("manifest.json", Sha256.hash(manifestBytes).hex());
        StringBuilder sb = new StringBuilder();
        sums.forEach((path, sha) -> sb.append(sha).append("  ").append(path).append('\n'));
        Files.writeString(dir.resolve("SHA256SUMS"), sb.toString(), StandardCharsets.UTF_8);

        String top = archiveName(tag).replace(".tar.gz", "");
        List<TarGz.Entry> entries = new ArrayList<>();
        entries.add(new TarGz.Entry(top + "/", null));
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(p -> !p.equals(dir)).sorted(java.util.Comparator.comparing(p -> dir.relativize(p).toString()))
                    .forEach(p -> {
                        String rel = dir.relativize(p).toString().replace(java.io.File.separatorChar, '/');
                        entries.add(Files.isDirectory(p) ? new TarGz.Entry(top + "/" + rel + "/", null)
                                : new TarGz.Entry(top + "/" + rel, p));
                    });
        }
        long mtime;
        try (RevWalk walk = new RevWalk(ws.repository())) {
            RevCommit commit = walk.parseCommit(reg.commit());
            mtime = commit.getCommitTime();
        }
        TarGz.write(dir.resolve(archiveName(tag)), entries, mtime);
    }

    /** pip requirements from library_versions: exact pins as {@code name==version}, other specifiers as written. */
    static byte[] requirements(Map<String, String> libs) {
        StringBuilder sb = new StringBuilder("# generated by mver from the version's library_versions\n");
        libs.forEach((name, spec) -> {
            if (spec == null || spec.isBlank() || spec.equals("*")) {
                sb.append(name);
            } else if (Character.isDigit(spec.charAt(0))) {
                sb.append(name).append("==").append(spec);
            } else {
                sb.append(name).append(spec.startsWith("@") || spec.contains("://") ? " @ " + spec.replaceFirst("^@\\s*", "") : spec);
            }
            sb.append('\n');
        });
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static String archiveName(TagName tag) {
        return tag.model().value().replace('/', '-').replace('=', '-') + "-" + tag.version().tagForm() + ".tar.gz";
    }

    private static void requireEmpty(Path target) {
        if (!Files.exists(target)) {
            return;
        }
        try {
            if (!FileTrees.isEmptyFolder(target)) {
                throw MverException.conflict("%s is not empty; give a new or empty folder for the release", target);
            }
        } catch (IOException e) {
            throw MverException.usage("%s is not a folder", target);
        }
    }

    private static String sha(Path file) throws IOException {
        return HashingCopy.hash(file, ProgressListener.NONE).sha256().hex();
    }

}
