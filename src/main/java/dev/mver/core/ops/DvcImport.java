package dev.mver.core.ops;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mver.core.git.GitIdentity;
import dev.mver.core.io.AtomicFiles;
import dev.mver.core.io.BoundedInput;
import dev.mver.core.io.FileTrees;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.RepoPath;
import dev.mver.core.value.Yaml;
import dev.mver.core.workspace.ArtifactService;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;

/**
 * Outputs tracked by DVC made mver artifacts, in one commit: each output's bytes come from DVC's cache
 * ({@code .dvc/cache/files/md5/XX/REST} since DVC 3, {@code .dvc/cache/XX/REST} before; a directory through its
 * {@code .dir} listing), checked against the MD5 DVC recorded, and are hashed again with SHA-256 into mver's cache by
 * {@code add}; the {@code .dvc} files go in the same commit (outputs of {@code dvc.lock} stages keep their pipeline
 * files, which describe how to rebuild them). The names, types and descriptions of {@code dvc.yaml}'s
 * {@code artifacts:} become models, each registered at 1.0.0 from its imported path.
 */
public final class DvcImport {
    /** One output moved: its path, DVC's MD5 for it, and the DVC file that tracked it. */
    @JsonPropertyOrder({"path", "md5", "directory", "from"})
    public record Moved(String path, String md5, boolean directory, String from) {
    }

    /** What moved, which DVC files went, which models were registered, and the commit. */
    @JsonPropertyOrder({"moved", "removed", "models", "commit"})
    public record Report(List<Moved> moved, List<String> removed, List<String> models, String commit) {
    }

    /** Registers a model from a dvc.yaml artifact, as {@code register} does. */
    public interface Registrar {
        void register(RegisterRequest request, MetadataInput metadata);
    }

    private record Output(RepoPath path, String md5, boolean dir, boolean legacy, RepoPath from) {
    }

    private final Workspace ws;
    private final ArtifactService artifacts;
    private final GitIdentity identity;
    private final Registrar registrar;

    public DvcImport(Workspace ws, ArtifactService artifacts, GitIdentity identity, Registrar registrar) {
        this.ws = ws;
        this.artifacts = artifacts;
        this.identity = identity;
        this.registrar = registrar;
    }

    public Report run(List<String> files) {
        ImportCommit.requireNothingStaged(ws.repository());
        List<RepoPath> dvcFiles = files.isEmpty() ? trackedDvcFiles() : files.stream().map(ws::repoPath).toList();
        if (dvcFiles.isEmpty()) {
            throw MverException.usage("no .dvc file or dvc.lock is tracked here: nothing to import");
        }
        Map<RepoPath, List<Output>> byFile = new LinkedHashMap<>();
        for (RepoPath f : dvcFiles) {
            byFile.put(f, outputs(f));
        }
        DirCache index = readIndex();
        // An output whose pointer is staged already moved (an earlier import; dvc.lock stays behind).
        List<Output> todo = byFile.values().stream().flatMap(List::stream)
                .filter(o -> index.findEntry(o.path().value() + ".mver") < 0).toList();
        Map<String, JsonNode> dvcArtifacts = dvcYamlArtifacts();
        // Everything is checked before anything is written: a refusal leaves the work tree as it was.
        Map<Output, Map<String, String>> listings = new LinkedHashMap<>();
        for (Output o : todo) {
            listings.put(o, check(o));
        }
        List<Moved> moved = new ArrayList<>();
        for (Output o : todo) {
            materialize(o, listings.get(o));
            moved.add(new Moved(o.path().value(), o.md5(), o.dir(), o.from().value()));
        }
        if (!todo.isEmpty()) {
            // Absolute: add reads a user's paths from the current folder, these are the repository's.
            artifacts.add(todo.stream().map(o -> ws.root().resolve(o.path().value()).toString()).distinct().toList());
        }
        List<String> removed = new ArrayList<>();
        try (Git git = new Git(ws.repository())) {
            for (RepoPath f : dvcFiles) {
                if (f.value().endsWith(".dvc") && index.findEntry(f.value()) >= 0) {
                    git.rm().addFilepattern(f.value()).call();
                    removed.add(f.value());
                }
            }
        } catch (GitAPIException e) {
            throw new MverException(ExitCode.LOCAL_IO, "cannot remove the .dvc files: " + e.getMessage(), e);
        }
        String commit = null;
        if (!moved.isEmpty() || !removed.isEmpty()) {
            StringBuilder msg = new StringBuilder("mver: move " + moved.size() + " output"
                    + (moved.size() == 1 ? "" : "s") + " from DVC to mver\n\n");
            moved.forEach(m -> msg.append("- ").append(m.path()).append(m.directory() ? "/" : "").append(" (md5 ")
                    .append(m.md5(), 0, Math.min(12, m.md5().length())).append(", from ").append(m.from())
                    .append(")\n"));
            removed.forEach(r -> msg.append("- removed ").append(r).append('\n'));
            commit = ImportCommit.commit(ws.repository(), identity, msg.toString());
        }
        return new Report(moved, removed, registerArtifacts(dvcArtifacts), commit);
    }

    private DirCache readIndex() {
        try {
            return ws.repository().readDirCache();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read git's index: " + e.getMessage(), e);
        }
    }

    /** Every {@code .dvc} file and {@code dvc.lock} in the index. */
    private List<RepoPath> trackedDvcFiles() {
        List<RepoPath> out = new ArrayList<>();
        try {
            DirCache index = ws.repository().readDirCache();
            for (int i = 0; i < index.getEntryCount(); i++) {
                String p = index.getEntry(i).getPathString();
                String name = p.substring(p.lastIndexOf('/') + 1);
                if ((name.endsWith(".dvc") && !name.equals(".dvc")) || name.equals("dvc.lock")) {
                    out.add(RepoPath.of(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read git's index: " + e.getMessage(), e);
        }
        return out;
    }

    /** The cached outputs a {@code .dvc} file's {@code outs} or a {@code dvc.lock}'s stages' {@code outs} name. */
    private List<Output> outputs(RepoPath file) {
        Path f = ws.tree().resolve(file);
        if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.notFound("no such DVC file: %s", file);
        }
        JsonNode doc = Yaml.parseTree(BoundedInput.read(f, "DVC file", 16 << 20), file.value(), ExitCode.USAGE);
        List<JsonNode> outs = new ArrayList<>();
        if (file.value().endsWith("dvc.lock")) {
            doc.path("stages").forEach(stage -> stage.path("outs").forEach(outs::add));
        } else {
            doc.path("outs").forEach(outs::add);
        }
        String base = file.value().contains("/") ? file.value().substring(0, file.value().lastIndexOf('/') + 1) : "";
        List<Output> out = new ArrayList<>();
        for (JsonNode o : outs) {
            String path = o.path("path").asText(null);
            String md5 = o.path("md5").asText(null);
            if (path == null || md5 == null || o.path("cache").asBoolean(true) == false) {
                continue; // an output git tracks itself (cache: false), or a metric without a hash
            }
            if (!md5.matches("[0-9a-f]{32}(\\.dir)?")) {
                throw MverException.usage("%s: output %s has md5 '%s', not DVC's hash", file, path, md5);
            }
            boolean legacy = !o.has("hash"); // DVC 2 hashed text files with their line endings made LF
            out.add(new Output(inRepo(base + path, file), md5, md5.endsWith(".dir"), legacy, file));
        }
        return out;
    }

    /** A path a DVC file gives (relative to its folder), as a path in the repository; refused when it leaves it. */
    private static RepoPath inRepo(String path, RepoPath file) {
        String normal = java.nio.file.Path.of(path).normalize().toString().replace('\\', '/');
        if (normal.isEmpty() || normal.startsWith("..") || java.nio.file.Path.of(path).isAbsolute()) {
            throw MverException.usage("%s names %s, outside the repository", file, path);
        }
        return RepoPath.of(normal);
    }

    /** Where DVC's cache keeps an object: {@code files/md5/XX/REST} (DVC 3) or {@code XX/REST} (DVC 2). */
    private Path cached(String md5) {
        Path cache = cacheDir();
        Path v3 = cache.resolve("files").resolve("md5").resolve(md5.substring(0, 2)).resolve(md5.substring(2));
        return Files.isRegularFile(v3) ? v3 : cache.resolve(md5.substring(0, 2)).resolve(md5.substring(2));
    }

    /** DVC's cache: {@code cache.dir} of {@code .dvc/config} (relative to {@code .dvc}) when set, else .dvc/cache. */
    private Path cacheDir() {
        Path dvc = ws.root().resolve(".dvc");
        Path config = dvc.resolve("config");
        if (Files.isRegularFile(config, LinkOption.NOFOLLOW_LINKS)) {
            boolean inCache = false;
            for (String line : new String(BoundedInput.read(config, ".dvc/config", 1 << 20),
                    java.nio.charset.StandardCharsets.UTF_8).split("\r?\n")) {
                String t = line.strip();
                if (t.startsWith("[")) {
                    inCache = t.equals("[cache]");
                } else if (inCache && t.matches("dir\\s*=.*")) {
                    return dvc.resolve(t.substring(t.indexOf('=') + 1).strip()).normalize();
                }
            }
        }
        return dvc.resolve("cache");
    }

    /** A directory output's files (path in the output, MD5) from its cached {@code .dir} listing, checked. */
    private Map<String, String> listing(Output o) {
        Path listing = cached(o.md5());
        if (!Files.isRegularFile(listing)) {
            throw missing(o.path().value(), o.md5());
        }
        byte[] bytes = BoundedInput.read(listing, "DVC directory listing", Json.MAX_DOCUMENT_BYTES);
        requireMd5(bytes, o.md5().substring(0, 32), o.path().value() + " (listing)");
        JsonNode entries = Json.parseTree(bytes, "DVC listing of " + o.path(), ExitCode.INTEGRITY);
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode e : entries) {
            String rel = e.path("relpath").asText("");
            String md5 = e.path("md5").asText("");
            if (!md5.matches("[0-9a-f]{32}") || rel.isEmpty()) {
                throw new MverException(ExitCode.INTEGRITY, "DVC's listing of " + o.path() + " has an entry without "
                        + "a path or an MD5: the cache is damaged; run dvc pull for a good copy");
            }
            RepoPath.of(o.path().value() + "/" + rel); // refuses '..' and absolute paths
            out.put(rel, md5);
        }
        return out;
    }

    /**
     * Refuses, before anything is written, an output whose cached bytes are missing or do not match their MD5, and
     * one whose work-tree copy holds what DVC's record does not (edits, files added to a directory): the import
     * would overwrite them. Returns a directory output's checked listing (empty for a file).
     */
    private Map<String, String> check(Output o) {
        Path target = ws.tree().resolve(o.path());
        if (!o.dir()) {
            requireCachedMatch(o.md5(), o.legacy(), o.path().value());
            requireSameOrAbsent(target, o.md5(), o.legacy(), o.path().value());
            return Map.of();
        }
        Map<String, String> files = listing(o);
        files.forEach((rel, md5) -> requireCachedMatch(md5, o.legacy(), o.path() + "/" + rel));
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            try (java.util.stream.Stream<Path> walk = Files.walk(target)) {
                for (Path f : walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    String rel = target.relativize(f).toString().replace('\\', '/');
                    if (!files.containsKey(rel)) {
                        throw MverException.usage("%s/%s is not in DVC's record of %s: move it aside (or dvc add "
                                + "it first), then import again", o.path(), rel, o.path());
                    }
                    requireSameOrAbsent(f, files.get(rel), o.legacy(), o.path() + "/" + rel);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + o.path() + ": " + e.getMessage(), e);
            }
        } else if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw MverException.usage("%s is a file, but DVC records a directory there", o.path());
        }
        return files;
    }

    private void requireCachedMatch(String md5, boolean legacy, String what) {
        Path source = cached(md5);
        if (!Files.isRegularFile(source)) {
            throw missing(what, md5);
        }
        if (!matches(source, md5, legacy)) {
            throw corrupt(what, md5);
        }
    }

    private static void requireSameOrAbsent(Path target, String md5, boolean legacy, String what) {
        if (Files.isSymbolicLink(target) || Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            // dvc checkout's links into its cache, and what a directory stands where a file was
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw MverException.usage("%s is a directory, but DVC records a file there", what);
            }
            return;
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !matches(target, md5, legacy)) {
            throw MverException.usage("%s has changes DVC's record does not hold: commit them with dvc (dvc add, dvc "
                    + "commit) or move them aside, then import again", what);
        }
    }

    private static boolean matches(Path file, String md5, boolean legacy) {
        try {
            MessageDigest md = newMd5();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 16];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest()).equals(md5) || legacy && md5.equals(unixMd5(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The output's bytes in the work tree, each file from DVC's cache after its MD5 is checked again while it is
     * copied; {@code files}, a directory's listing as {@link #check} read it.
     */
    private void materialize(Output o, Map<String, String> files) {
        Path target = ws.tree().resolve(o.path());
        if (!o.dir()) {
            copyVerified(o.md5(), o.legacy(), target, o.path().value());
            return;
        }
        try {
            Path staging = AtomicFiles.tempBeside(target);
            try {
                for (Map.Entry<String, String> e : files.entrySet()) {
                    copyVerified(e.getValue(), o.legacy(), staging.resolve(e.getKey()), o.path() + "/" + e.getKey());
                }
                Files.createDirectories(staging);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    FileTrees.delete(target); // checked: it held only what the listing holds
                }
                Files.move(staging, target);
            } finally {
                if (Files.exists(staging)) {
                    FileTrees.delete(staging);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + o.path() + ": " + e.getMessage(), e);
        }
    }

    private void copyVerified(String md5, boolean legacy, Path target, String what) {
        Path source = cached(md5);
        if (!Files.isRegularFile(source)) {
            throw missing(what, md5);
        }
        try {
            Files.createDirectories(target.getParent());
            Path temp = AtomicFiles.tempBeside(target);
            try {
                MessageDigest md = newMd5();
                try (InputStream in = Files.newInputStream(source); OutputStream out = Files.newOutputStream(temp)) {
                    byte[] buf = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        md.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                if (!HexFormat.of().formatHex(md.digest()).equals(md5) && !(legacy && md5.equals(unixMd5(temp)))) {
                    throw corrupt(what, md5);
                }
                AtomicFiles.moveIntoPlace(temp, target);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + what + " from DVC's cache: " + e.getMessage(), e);
        }
    }

    private static void requireMd5(byte[] bytes, String md5, String what) {
        if (!HexFormat.of().formatHex(newMd5().digest(bytes)).equals(md5)) {
            throw corrupt(what, md5);
        }
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        }
    }

    private static MverException corrupt(String what, String md5) {
        return new MverException(ExitCode.INTEGRITY, "DVC's cached copy of " + what + " does not match its MD5 " + md5
                + ": the cache is corrupt; run dvc pull (or dvc fetch) for a good copy and import again");
    }

    /**
     * DVC 2's MD5 of a text file: its bytes with CRLF made LF (DVC 2 hashed text so; binary files, with a NUL in
     * their first 8 KiB, as they are).
     */
    private static String unixMd5(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return null;
            }
        }
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
        return HexFormat.of().formatHex(newMd5().digest(text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    private static MverException missing(String what, String md5) {
        return MverException.notFound("DVC's cache has no copy of %s (md5 %s): run dvc pull (or dvc fetch) and "
                + "import again", what, md5);
    }

    /** dvc.yaml's {@code artifacts:}, by name, each name checked now (before anything is written). */
    private Map<String, JsonNode> dvcYamlArtifacts() {
        Path dvcYaml = ws.root().resolve("dvc.yaml");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        if (!Files.isRegularFile(dvcYaml, LinkOption.NOFOLLOW_LINKS)) {
            return byName;
        }
        Yaml.parseTree(BoundedInput.read(dvcYaml, "dvc.yaml", 16 << 20), "dvc.yaml", ExitCode.USAGE)
                .path("artifacts").fields().forEachRemaining(e -> {
                    if (!dev.mver.core.value.ModelName.isValid(e.getKey())) {
                        throw MverException.usage("dvc.yaml's artifact '%s' is not a valid mver model name (letters, "
                                + "digits, '-', '_', '/'); rename it in dvc.yaml, then import again",
                                dev.mver.core.value.Text.printable(e.getKey(), 80));
                    }
                    byName.put(e.getKey(), e.getValue());
                });
        return byName;
    }

    /**
     * dvc.yaml's artifacts whose path is an mver artifact now, each registered as a model at 1.0.0; one that has
     * versions already is reported as such. Runs on every import, so a registration cut short is made next time.
     */
    private List<String> registerArtifacts(Map<String, JsonNode> byName) {
        DirCache index = readIndex();
        List<String> registered = new ArrayList<>();
        for (Map.Entry<String, JsonNode> a : byName.entrySet()) {
            String path = a.getValue().path("path").asText(null);
            if (path == null || index.findEntry(inRepo(path, RepoPath.of("dvc.yaml")).value() + ".mver") < 0) {
                continue;
            }
            dev.mver.core.value.ModelName model = dev.mver.core.value.ModelName.of(a.getKey());
            if (!new dev.mver.core.registry.GitRegistry(ws.repository()).versions(model).isEmpty()) {
                registered.add(model + ": has versions already, left as it is");
                continue;
            }
            String desc = a.getValue().path("desc").asText(null);
            Map<String, JsonNode> extra = new LinkedHashMap<>();
            extra.put("dvc", Json.mapper().createObjectNode().put("artifact", a.getKey())
                    .put("type", a.getValue().path("type").asText(null)).put("desc", desc)
                    .set("labels", a.getValue().path("labels").isArray() ? a.getValue().get("labels")
                            : Json.mapper().createArrayNode()));
            registrar.register(new RegisterRequest(model, RegisterRequest.VersionChoice.exactly("1.0.0"),
                    "imported from DVC: " + (desc == null || desc.isBlank() ? a.getKey() : desc),
                    List.of(ws.root().resolve(inRepo(path, RepoPath.of("dvc.yaml")).value()).toString()), null, true),
                    new MetadataInput(null, null, null, null, null, null, null, null, null, null, null, null, null,
                            extra));
            registered.add(model + "@v1.0.0");
        }
        return registered;
    }
}
