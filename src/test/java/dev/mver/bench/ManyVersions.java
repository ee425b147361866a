package dev.mver.bench;

import dev.mver.core.registry.EventPayload;
import dev.mver.core.registry.TagPayload;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.EventType;
import dev.mver.core.value.Sha256;
import dev.mver.core.value.StageName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Bench data: grows a registry whose first version {@code m@v0.0.1} was registered by the real mver into N sound
 * versions, as N real registrations would leave it (a commit with the record and pointer, an annotated tag with
 * the payload linking the previous tag object, event numbers 1..N), each with its own 4 KiB artifact written to a
 * folder remote. mver register takes a JVM start and a commit each: 10,000 of them would take the bench an hour.
 * With E, also E stage events after them (promotions of random versions to dev, staging and production, numbered
 * N+1..N+E), as promote would write them. Numeric metrics of the first record take a random walk across the
 * versions. Usage: ManyVersions REPO REMOTE_FOLDER N [E]
 */
public final class ManyVersions {
    private ManyVersions() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path remote = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        int events = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        List<ObjectId> commits = new java.util.ArrayList<>();
        try (Repository repo = new FileRepositoryBuilder().findGitDir(dir.toFile()).build();
             ObjectInserter inserter = repo.newObjectInserter();
             RevWalk walk = new RevWalk(repo)) {
            Ref first = repo.exactRef(Constants.R_TAGS + "m@v0.0.1");
            RevTag tag = walk.parseTag(first.getObjectId());
            TagPayload template = TagPayload.fromMessage("m@v0.0.1", tag.getFullMessage());
            RevCommit commit = walk.parseCommit(tag.getObject());
            String record = read(repo, commit, template.metadataPath().value());
            ArtifactRef artifact = template.artifacts().get(0);
            String pointerPath = artifact.path().value() + ".mver";
            String pointer = read(repo, commit, pointerPath);
            PersonIdent who = new PersonIdent("bench", "bench@example.com");
            Random random = new Random(42);
            BatchRefUpdate refs = repo.getRefDatabase().newBatchUpdate();
            ObjectId previousTag = tag.getId();
            ObjectId parent = commit.getId();
            String previousVersion = "0.0.1";
            java.util.Map<String, Double> metrics = new java.util.HashMap<>();
            commits.add(commit.getId());
            for (int i = 2; i <= n; i++) {
                String version = "0.0." + i;
                byte[] bytes = new byte[4096];
                random.nextBytes(bytes);
                Sha256 sha = Sha256.hash(bytes);
                Path object = remote.resolve("objects/" + sha.hex().substring(0, 2) + "/" + sha.hex().substring(2));
                Files.createDirectories(object.getParent());
                Files.write(object, bytes);

                byte[] recordBytes = walkMetrics(record, metrics, random).replace(artifact.sha256().hex(), sha.hex())
                        .replace("\"version\": \"0.0.1\"", "\"version\": \"" + version + "\"")
                        .replaceFirst("\"parent_version\": [^,]*,", "\"parent_version\": \"" + previousVersion + "\",")
                        .getBytes(StandardCharsets.UTF_8);
                DirCache index = DirCache.newInCore();
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], 0, repo.newObjectReader(), commit.getTree());
                builder.finish();
                DirCacheBuilder edit = index.builder();
                for (int e = 0; e < index.getEntryCount(); e++) {
                    DirCacheEntry entry = index.getEntry(e);
                    if (entry.getPathString().equals(template.metadataPath().value())) {
                        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, recordBytes));
                    } else if (entry.getPathString().equals(pointerPath)) {
                        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, pointer.replace(artifact.sha256().hex(),
                                sha.hex()).getBytes(StandardCharsets.UTF_8)));
                    }
                    edit.add(entry);
                }
                edit.finish();
                CommitBuilder c = new CommitBuilder();
                c.setTreeId(index.writeTree(inserter));
                c.setParentId(parent);
                c.setAuthor(who);
                c.setCommitter(who);
                c.setMessage("mver: register m@v" + version + "\n\nbench\n");
                parent = inserter.insert(c);
                commits.add(parent);

                TagPayload payload = new TagPayload(TagPayload.SCHEMA, template.model(), version, i,
                        template.metadataPath(), Sha256.hash(recordBytes),
                        List.of(new ArtifactRef(artifact.path(), artifact.type(), sha, bytes.length)),
                        new TagPayload.Previous(previousVersion, previousTag.name()), "bench");
                TagBuilder t = new TagBuilder();
                t.setObjectId(parent, Constants.OBJ_COMMIT);
                t.setTag("m@v" + version);
                t.setTagger(who);
                t.setMessage(payload.toMessage());
                previousTag = inserter.insert(t);
                refs.addCommand(new ReceiveCommand(ObjectId.zeroId(), previousTag, Constants.R_TAGS + "m@v" + version));
                previousVersion = version;
            }
            String[] stages = {"dev", "staging", "production"};
            java.util.Map<String, String> occupant = new java.util.HashMap<>();
            for (int e = 1; e <= events; e++) {
                int v = 1 + random.nextInt(n);
                String version = "0.0." + v;
                String stage = stages[e % 3];
                long number = n + e;
                EventPayload p = new EventPayload(template.model(), EventType.PROMOTION, version,
                        StageName.of(stage), number, occupant.put(stage, version), "bench");
                TagBuilder t = new TagBuilder();
                t.setObjectId(commits.get(v - 1), Constants.OBJ_COMMIT);
                t.setTag("m#" + stage + "#" + number);
                t.setTagger(who);
                t.setMessage(p.toMessage());
                previousTag = inserter.insert(t);
                refs.addCommand(new ReceiveCommand(ObjectId.zeroId(), previousTag,
                        Constants.R_TAGS + "m#" + stage + "#" + number));
            }
            inserter.flush();
            Ref counter = repo.exactRef("refs/mver/events/m");
            refs.addCommand(new ReceiveCommand(counter == null ? ObjectId.zeroId() : counter.getObjectId(), previousTag,
                    "refs/mver/events/m", counter == null ? ReceiveCommand.Type.CREATE
                    : ReceiveCommand.Type.UPDATE_NONFASTFORWARD));
            refs.setAllowNonFastForwards(true);
            refs.addCommand(new ReceiveCommand(commit.getId(), parent, repo.getFullBranch()));
            refs.setAtomic(false);
            refs.execute(walk, NullProgressMonitor.INSTANCE);
            for (ReceiveCommand cmd : refs.getCommands()) {
                if (cmd.getResult() != ReceiveCommand.Result.OK) {
                    throw new IllegalStateException(cmd.getRefName() + ": " + cmd.getResult());
                }
            }
        }
    }

    private static final java.util.regex.Pattern METRICS = java.util.regex.Pattern.compile("\"metrics\": \\{[^}]*}");
    private static final java.util.regex.Pattern METRIC = java.util.regex.Pattern.compile("\"([^\"]+)\": (-?[0-9.eE+-]+)");

    /**
     * The record with each numeric metric moved a small random step from the previous version's, so a report draws
     * a chart rather than a flat line; the first registration's values are where the walks start.
     */
    private static String walkMetrics(String record, java.util.Map<String, Double> values, Random random) {
        java.util.regex.Matcher block = METRICS.matcher(record);
        if (!block.find()) {
            return record;
        }
        java.util.regex.Matcher m = METRIC.matcher(block.group());
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            double v = values.getOrDefault(m.group(1), Double.parseDouble(m.group(2))) + random.nextGaussian() * 0.002;
            values.put(m.group(1), v);
            m.appendReplacement(sb, java.util.regex.Matcher.quoteReplacement(
                    "\"" + m.group(1) + "\": " + String.format(java.util.Locale.ROOT, "%.4f", v)));
        }
        m.appendTail(sb);
        return record.substring(0, block.start()) + sb + record.substring(block.end());
    }

    private static String read(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk tw = TreeWalk.forPath(repo, path, commit.getTree())) {
            return new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }
}
