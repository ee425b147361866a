package dev.mver.core.remote;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mver.core.io.CrashPoints;
import dev.mver.core.store.Manifest;
import dev.mver.core.store.ProgressListener;
import dev.mver.core.value.ArtifactRef;
import dev.mver.core.value.ArtifactType;
import dev.mver.core.value.ExitCode;
import dev.mver.core.value.Json;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Sha256;
import dev.mver.core.workspace.Workspace;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Moves objects between the local cache and a remote, several at a time. A transfer that fails in a way a retry can
 * fix (corrupt bytes, a cut connection) is tried once more, then reported; a download that does not hash to its
 * name never enters the cache.
 */
public final class TransferService {
    /** Objects at most this large go two per job when the jobs are left to mver: they wait on requests, not bytes. */
    static final long SMALL_OBJECT_BYTES = 1 << 20;
    /** Above this many objects, one listing of the remote costs less than asking for each object. */
    static final int LIST_ABOVE = 64;

    private final Workspace ws;
    private final RemoteStore remote;
    private final int jobs;
    private final boolean defaultJobs;
    private final ProgressListener progress;
    private final Consumer<String> notice;

    /** {@code jobs} 0: the default ({@link #jobs}). */
    public TransferService(Workspace ws, RemoteStore remote, int jobs, ProgressListener progress, Consumer<String> notice) {
        this.ws = ws;
        this.remote = remote;
        this.jobs = jobs(jobs);
        this.defaultJobs = jobs == 0;
        this.progress = progress;
        this.notice = notice;
    }

    /**
     * {@code requested} transfers at once, or (0) four per core, 8 to 16: transfers wait on the network and the
     * server, not on this machine's CPU, and each large one holds a part buffer (memory is jobs × part size).
     */
    public static int jobs(int requested) {
        if (requested == 0) {
            return Math.max(8, Math.min(16, 4 * Runtime.getRuntime().availableProcessors()));
        }
        if (requested < 1 || requested > 64) {
            throw MverException.usage("--jobs must be between 1 and 64");
        }
        return requested;
    }

    /** An object some artifact needs; {@code size} is -1 for a manifest whose size is known only once read. */
    public record Needed(Sha256 sha, long size, String what) {
    }

    @JsonPropertyOrder({"remote", "objects", "transferred", "already_there", "bytes"})
    public record Result(String remote, int objects, int transferred, int alreadyThere, long bytes) {
    }

    /** The objects {@code artifacts} need; manifests of directories are read from the local cache. */
    public List<Needed> localObjects(Collection<ArtifactRef> artifacts) {
        Map<Sha256, Needed> out = new LinkedHashMap<>();
        for (ArtifactRef a : artifacts) {
            if (a.type() == ArtifactType.FILE) {
                out.putIfAbsent(a.sha256(), new Needed(a.sha256(), a.size(), a.path().value()));
                continue;
            }
            byte[] bytes = ws.cache().readSmall(a.sha256(), Json.MAX_DOCUMENT_BYTES, "manifest of " + a.path());
            out.putIfAbsent(a.sha256(), new Needed(a.sha256(), bytes.length, "manifest of " + a.path()));
            for (Manifest.Entry e : Manifest.parse(bytes).files()) {
                out.putIfAbsent(e.sha256(), new Needed(e.sha256(), e.size(), a.path() + "/" + e.path()));
            }
        }
        return new ArrayList<>(out.values());
    }

    /**
     * Uploads what the remote lacks, and replaces a remote copy of the wrong size (a truncated or replaced object is
     * never "already there"); with {@code repair}, every remote copy is also re-hashed and replaced when it does not
     * match. The local object is re-hashed as it is sent.
     */
    public Result push(List<Needed> objects, boolean repair) {
        List<Needed> missingLocally = objects.stream().filter(n -> !ws.cache().contains(n.sha())).toList();
        if (!missingLocally.isEmpty()) {
            Needed n = missingLocally.get(0);
            throw MverException.notFound("object %s for %s is not in the local cache, so it cannot be pushed",
                    n.sha().shortHex(), n.what());
        }
        progress.start("push to " + remote.describe(), objects.stream().mapToLong(n -> Math.max(0, n.size())).sum());
        Map<Sha256, Long> listed = objects.size() > LIST_ABOVE ? remote.inventory() : null;
        List<Boolean> uploaded;
        try {
            uploaded = parallel(objects, n -> {
                String damage = damage(n, repair, listed);
                if ("".equals(damage)) {
                    return false;
                }
                if (damage != null) {
                    notice.accept("the copy of " + n.sha().shortHex() + " (" + n.what() + ") on " + remote.describe()
                            + " " + damage + "; replacing it");
                }
                try {
                    retrying(n, "upload", () -> remote.upload(n.sha(), ws.cache().pathOf(n.sha()), n.size(),
                            progress, damage != null));
                } catch (MverException e) {
                    if (e.exitCode() == ExitCode.INTEGRITY && !ws.cache().verify(n.sha())) {
                        // The bad bytes are ours: set them aside like any other corrupt read, and say where.
                        throw MverException.integrity("%s (%s); not uploaded", ws.cache().quarantineCorrupt(n.sha()),
                                n.what());
                    }
                    throw e;
                }
                CrashPoints.reached("push: object sent");
                return true;
            });
        } finally {
            progress.finish();
        }
        return summary(objects, uploaded);
    }

    /**
     * What is wrong with the remote's copy of {@code n}: null when there is none, "" when it is sound (its size,
     * and with {@code deep} its hash, checked), else the damage in words. Sizes come from {@code listed} when the
     * remote was listed, else from asking for the object.
     */
    private String damage(Needed n, boolean deep, Map<Sha256, Long> listed) {
        long there = listed != null ? listed.getOrDefault(n.sha(), -1L) : remote.size(n.sha());
        if (there < 0) {
            return null;
        }
        if (n.size() >= 0 && there != n.size()) {
            return "has " + there + " bytes, not " + n.size();
        }
        if (deep) {
            Sha256 got = hashOnRemote(n.sha());
            if (!got.equals(n.sha())) {
                return "hashes to " + got.shortHex();
            }
        }
        return "";
    }

    /** The remote copies of {@code objects} whose bytes do not hash to their names, with what they hash to. */
    public Map<Sha256, Sha256> rehashOnRemote(List<Needed> objects) {
        Map<Sha256, Sha256> wrong = new ConcurrentHashMap<>();
        parallel(objects, n -> {
            Sha256 got = hashOnRemote(n.sha());
            if (!got.equals(n.sha())) {
                wrong.put(n.sha(), got);
            }
            return true;
        });
        return wrong;
    }

    /** The hash of the remote's copy, read through once in constant memory. */
    private Sha256 hashOnRemote(Sha256 sha) {
        MessageDigest digest = Sha256.newDigest();
        try (InputStream in = remote.open(sha)) {
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new MverException(ExitCode.REMOTE, "cannot read object " + sha.shortHex() + " from "
                    + remote.describe() + ": " + e.getMessage(), e);
        }
        return Sha256.of(digest.digest());
    }

    /** Downloads whatever of {@code artifacts} is not in the local cache; directories need two rounds. */
    public Result fetch(Collection<ArtifactRef> artifacts) {
        List<Needed> first = new ArrayList<>();
        for (ArtifactRef a : artifacts) {
            first.add(new Needed(a.sha256(), a.type() == ArtifactType.FILE ? a.size() : -1,
                    a.type() == ArtifactType.FILE ? a.path().value() : "manifest of " + a.path()));
        }
        Result manifestsAndFiles = download(first);
        List<Needed> second = new ArrayList<>();
        for (ArtifactRef a : artifacts) {
            if (a.type() == ArtifactType.DIR) {
                for (Manifest.Entry e : ws.cache().readManifest(a.sha256(), a.path().value()).files()) {
                    second.add(new Needed(e.sha256(), e.size(), a.path() + "/" + e.path()));
                }
            }
        }
        Result files = download(second);
        return new Result(remote.describe(), manifestsAndFiles.objects() + files.objects(),
                manifestsAndFiles.transferred() + files.transferred(),
                manifestsAndFiles.alreadyThere() + files.alreadyThere(), manifestsAndFiles.bytes() + files.bytes());
    }

    /** Downloads the manifests of these directory artifacts (not their files) that the local cache lacks. */
    public Result fetchManifests(Collection<ArtifactRef> directories) {
        return download(directories.stream().map(a -> new Needed(a.sha256(), -1, "manifest of " + a.path())).toList());
    }

    private Result download(List<Needed> objects) {
        Map<Sha256, Needed> unique = new LinkedHashMap<>();
        objects.forEach(n -> unique.putIfAbsent(n.sha(), n));
        List<Needed> list = new ArrayList<>(unique.values());
        progress.start("fetch from " + remote.describe(), list.stream().mapToLong(n -> Math.max(0, n.size())).sum());
        List<Boolean> downloaded;
        try {
            downloaded = parallel(list, n -> {
                if (ws.cache().contains(n.sha())) {
                    return false;
                }
                try {
                    retrying(n, "download", () -> remote.download(n.sha(), n.size(), ws.cache(), n.what(), progress));
                } catch (MverException e) {
                    throw withNextStep(e, n.sha());
                }
                return true;
            });
        } finally {
            progress.finish();
        }
        return summary(list, downloaded);
    }

    /** A remote's missing or damaged copy, said with where it is and how to put a good one back. */
    private MverException withNextStep(MverException e, Sha256 sha) {
        if (e.exitCode() == ExitCode.NOT_FOUND) {
            return new MverException(e.exitCode(), e.getMessage() + "; push it from a clone whose cache has it "
                    + "(mver verify --remote lists every missing object)", e);
        }
        if (e.exitCode() == ExitCode.INTEGRITY) {
            return new MverException(e.exitCode(), e.getMessage() + " at " + remote.locate(sha) + "; the remote's "
                    + "copy is damaged: run mver push --repair in a clone whose cache has a good copy", e);
        }
        return e;
    }

    private interface Step {
        void run();
    }

    /**
     * Runs {@code step}, and once more after a failure a retry can fix: bytes that arrived corrupt, or a connection
     * cut mid-transfer (requests themselves are retried by the remote's client). A refusal, a timeout or a missing
     * bucket is reported at once.
     */
    private void retrying(Needed n, String what, Step step) {
        try {
            step.run();
        } catch (MverException e) {
            if (e.exitCode() != ExitCode.INTEGRITY && !(e instanceof RemoteFailure f && f.retryable())) {
                throw e;
            }
            notice.accept(what + " of " + n.what() + " failed (" + e.getMessage() + "); retrying");
            step.run();
        }
    }

    private interface Task {
        boolean run(Needed n);
    }

    private List<Boolean> parallel(List<Needed> objects, Task task) {
        if (objects.isEmpty()) {
            return List.of();
        }
        boolean small = defaultJobs && objects.stream().allMatch(n -> n.size() >= 0 && n.size() <= SMALL_OBJECT_BYTES);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(small ? 2 * jobs : jobs, objects.size()), r -> {
            Thread t = new Thread(r, "mver-transfer");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (Needed n : objects) {
                futures.add(pool.submit(() -> task.run(n)));
            }
            List<Boolean> out = new ArrayList<>();
            MverException first = null;
            for (Future<Boolean> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (first == null) {
                        first = cause instanceof MverException me ? me
                                : new MverException(ExitCode.of(cause), String.valueOf(cause.getMessage()), cause);
                    }
                    out.add(false);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new MverException(ExitCode.INTERNAL, "interrupted");
                }
            }
            if (first != null) {
                throw first;
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Result summary(List<Needed> objects, List<Boolean> moved) {
        int transferred = 0;
        long bytes = 0;
        for (int i = 0; i < objects.size(); i++) {
            if (moved.get(i)) {
                transferred++;
                bytes += Math.max(0, objects.get(i).size());
            }
        }
        return new Result(remote.describe(), objects.size(), transferred, objects.size() - transferred, bytes);
    }

}
