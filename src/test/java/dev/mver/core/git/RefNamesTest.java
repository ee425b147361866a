package dev.mver.core.git;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The names-only ref listing and the straight read of refs agree with JGit's, whatever mix of packed, loose and
 * nested refs git left.
 */
class RefNamesTest {
    @TempDir
    Path dir;

    private static TreeSet<String> jgit(Repository repo, String prefix) throws Exception {
        TreeSet<String> names = new TreeSet<>();
        for (Ref r : repo.getRefDatabase().getRefsByPrefix(prefix)) {
            names.add(r.getName());
        }
        return names;
    }

    /** Each ref as its name, id and, where the listing knows it, the id it peels to. */
    private static TreeSet<String> described(List<Ref> refs) {
        TreeSet<String> out = new TreeSet<>();
        for (Ref r : refs) {
            out.add(r.getName() + " " + r.getObjectId().name() + (r.getPeeledObjectId() == null ? ""
                    : " ^" + r.getPeeledObjectId().name()));
        }
        return out;
    }

    @Test
    void lists_the_same_names_as_jgit_for_packed_loose_nested_and_deleted_refs() throws Exception {
        git(dir, "init", "-q").ok();
        git(dir, "commit", "-q", "--allow-empty", "-m", "c").ok();
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tags.add("churn@v1." + i + ".0");
        }
        tags.addAll(List.of("team/churn@v2.0.0", "team/churn#production#3", "churnx@v1.0.0", "other#dev#1", "plain"));
        for (String t : tags.subList(0, 20)) {
            git(dir, "tag", "-a", "-m", "m", t).ok();
        }
        git(dir, "pack-refs", "--all").ok();
        for (String t : tags.subList(20, tags.size())) {
            git(dir, "tag", "-a", "-m", "m", t).ok();
        }
        // A tag both packed and loose (re-pointed after packing), one deleted after packing, a stale lock file.
        git(dir, "tag", "-f", "-a", "-m", "again", "churn@v1.3.0").ok();
        git(dir, "tag", "-d", "churn@v1.4.0").ok();
        Files.writeString(dir.resolve(".git/refs/tags/churn@v9.9.9.lock"), "");
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            for (String prefix : List.of("refs/tags/", "refs/tags/churn@v", "refs/tags/team/churn@v", "refs/tags/team/",
                    "refs/tags/nothing@v", "refs/heads/")) {
                assertEquals(jgit(repo, prefix), new TreeSet<>(RefNames.list(repo, prefix)), prefix);
                assertEquals(RefNames.list(repo, prefix).size(), new TreeSet<>(RefNames.list(repo, prefix)).size(),
                        "no name twice: " + prefix);
            }
            for (String prefix : List.of("refs/tags/", "refs/tags/team/", "refs/heads/")) {
                assertEquals(described(repo.getRefDatabase().getRefsByPrefix(prefix)),
                        described(RefNames.refs(repo, prefix)), prefix);
            }
        }
    }
}
