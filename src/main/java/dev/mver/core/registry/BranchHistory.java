package dev.mver.core.registry;

import dev.mver.core.git.ShallowClone;
import dev.mver.core.io.CacheFile;
import dev.mver.core.value.TagName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The branches' history as {@link RegistrationCommits} last walked it: the tips it started from, every commit id it
 * reached, and the registration commits among them. A commit's history never changes under its id, so the next walk
 * starts from the branches and stops where this one did. {@code mver/registrations} in git's common folder, written
 * whole with a checksum; none in a shallow clone (its history is cut short, and deepening it moves no tip) or where
 * mver keeps no caches.
 */
final class BranchHistory {
    private static final String HEADER = "mver-branch-history v1";
    private static final long MAX_BYTES = 256L << 20;
    static final BranchHistory NONE = new BranchHistory(null, List.of(), Set.of(), List.of());

    private final Path file;
    private final List<ObjectId> tips;
    private final Set<ObjectId> commits;
    private final List<RegistrationCommits.Registration> registrations;

    private BranchHistory(Path file, List<ObjectId> tips, Set<ObjectId> commits,
                          List<RegistrationCommits.Registration> registrations) {
        this.file = file;
        this.tips = tips;
        this.commits = commits;
        this.registrations = registrations;
    }

    static BranchHistory load(Repository repo) {
        Path dir = EventCache.folder(repo);
        if (dir == null || ShallowClone.isShallow(repo)) {
            return NONE;
        }
        Path file = dir.resolve("registrations");
        String body = CacheFile.readWhole(file, HEADER, MAX_BYTES);
        BranchHistory none = new BranchHistory(file, List.of(), Set.of(), List.of());
        if (body == null) {
            return none;
        }
        try {
            List<ObjectId> tips = new ArrayList<>();
            Set<ObjectId> commits = new HashSet<>();
            List<RegistrationCommits.Registration> registrations = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.startsWith("t ")) {
                    tips.add(ObjectId.fromString(line.substring(2)));
                } else if (line.startsWith("c ")) {
                    commits.add(ObjectId.fromString(line.substring(2)));
                } else if (line.startsWith("r ")) {
                    String[] f = line.substring(2).split(" ");
                    registrations.add(new RegistrationCommits.Registration(java.util.Objects.requireNonNull(
                            TagName.parseOrNull(f[0])),
                            new RegistrationCommits.Seen(f[1], Instant.ofEpochSecond(Long.parseLong(f[2])))));
                } else if (!line.isEmpty()) {
                    throw new IllegalArgumentException("bad line");
                }
            }
            return new BranchHistory(file, List.copyOf(tips), commits, List.copyOf(registrations));
        } catch (RuntimeException e) {
            return none; // a newer or damaged file: walk again
        }
    }

    /** Nothing known, to be written again where this was read from: its history is to be walked afresh. */
    BranchHistory forgotten() {
        return new BranchHistory(file, List.of(), Set.of(), List.of());
    }

    List<ObjectId> tips() {
        return tips;
    }

    List<RegistrationCommits.Registration> registrations() {
        return registrations;
    }

    boolean contains(AnyObjectId commit) {
        return commits.contains(commit);
    }

    /**
     * Keeps the history of {@code branches}: this one's commits and {@code walked}, and {@code registrations} (all
     * of them, from both). Nothing is written when nothing was walked and the tips are the same.
     */
    void save(List<RevCommit> branches, List<RevCommit> walked,
              List<RegistrationCommits.Registration> registrations) {
        Set<ObjectId> now = new HashSet<>();
        branches.forEach(b -> now.add(b.copy()));
        if (file == null || (walked.isEmpty() && now.equals(new HashSet<>(tips)))) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (ObjectId t : now) {
            sb.append("t ").append(t.name()).append('\n');
        }
        for (ObjectId c : commits) {
            sb.append("c ").append(c.name()).append('\n');
        }
        for (RevCommit c : walked) {
            sb.append("c ").append(c.name()).append('\n');
        }
        for (RegistrationCommits.Registration r : registrations) {
            sb.append("r ").append(r.tag().shortName()).append(' ').append(r.seen().commit()).append(' ')
                    .append(r.seen().at().getEpochSecond()).append('\n');
        }
        CacheFile.writeWhole(file, HEADER, sb.toString());
    }
}
