package dev.mver.core.git;

import dev.mver.core.value.ExitCode;
import dev.mver.core.value.MverException;
import dev.mver.core.value.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.api.errors.TransportException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.eclipse.jgit.transport.TrackingRefUpdate;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The Git side of sharing: registry refs (version and event tags, the branch) pushed atomically and fetched with
 * JGit. SSH goes through JGit's Apache MINA transport (keys and agent as for git); HTTPS uses a token from the
 * environment ({@code MVER_GIT_TOKEN}, {@code GITHUB_TOKEN}, {@code CI_JOB_TOKEN}) or git's credential helpers.
 */
public final class RegistrySync {
    private final Repository repo;
    private final Map<String, String> env;

    public RegistrySync(Repository repo, Map<String, String> env) {
        this.repo = repo;
        this.env = env;
    }

    public boolean hasRemote(String name) {
        return repo.getRemoteNames().contains(name);
    }

    /** Every ref of {@code remote} (branches, tags, mver's event counters), by full name. */
    public Map<String, ObjectId> remoteRefs(String remote) {
        try (Git git = new Git(repo)) {
            Map<String, ObjectId> out = new java.util.HashMap<>();
            for (Ref r : git.lsRemote().setRemote(remote).setCredentialsProvider(credentials()).call()) {
                out.put(r.getName(), r.getObjectId());
            }
            return out;
        } catch (GitAPIException e) {
            throw failure(remote, "list refs of", e);
        }
    }

    /** Pushes {@code refs} (full names) to {@code remote} in one atomic push; a refusal is exit 5. */
    public List<String> push(String remote, Collection<String> refs) {
        return push(remote, refs, Map.of());
    }

    /**
     * As {@link #push(String, Collection)}, with {@code leases}: refs moved whatever their history (an event counter
     * moves between unrelated tag objects), but only from the id each lease expects on the remote (zero: absent).
     */
    public List<String> push(String remote, Collection<String> refs, Map<String, ObjectId> leases) {
        if (refs.isEmpty() && leases.isEmpty()) {
            return List.of();
        }
        List<RefSpec> specs = new ArrayList<>(refs.stream().map(r -> new RefSpec(r + ":" + r)).toList());
        List<org.eclipse.jgit.transport.RefLeaseSpec> leaseSpecs = new ArrayList<>();
        leases.forEach((ref, expected) -> {
            specs.add(new RefSpec("+" + ref + ":" + ref));
            leaseSpecs.add(new org.eclipse.jgit.transport.RefLeaseSpec(ref, expected.name()));
        });
        try (Git git = new Git(repo)) {
            Iterable<PushResult> results = git.push().setRemote(remote).setRefSpecs(specs).setAtomic(true)
                    .setRefLeaseSpecs(leaseSpecs).setCredentialsProvider(credentials()).call();
            List<String> updated = new ArrayList<>();
            List<String> refused = new ArrayList<>();
            for (PushResult result : results) {
                for (RemoteRefUpdate u : result.getRemoteUpdates()) {
                    switch (u.getStatus()) {
                        case OK -> updated.add(u.getRemoteName());
                        case UP_TO_DATE -> {
                        }
                        default -> refused.add(org.eclipse.jgit.lib.Repository.shortenRefName(u.getRemoteName())
                                + " (" + u.getStatus().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + ")");
                    }
                }
            }
            if (refused.stream().anyMatch(r -> r.startsWith("refs/mver/events/"))) {
                throw MverException.conflict("the git remote '%s' refused %s: another clone pushed events of the same "
                        + "model since this push looked (your objects are uploaded); run 'mver push --retry', which "
                        + "renumbers your unpushed events after theirs", remote, String.join(", ", refused));
            }
            if (!refused.isEmpty()) {
                throw MverException.conflict("the git remote '%s' refused %s: someone else pushed first (your "
                        + "objects are uploaded); fetch and retry: 'mver register NAME --bump ... -m ... --retry' takes "
                        + "the next version, then 'mver push'", remote, String.join(", ", refused));
            }
            return updated;
        } catch (GitAPIException e) {
            throw failure(remote, "push to", e);
        }
    }

    /** Fetches the remote's branches and every tag; a tag that differs from ours is exit 5, never overwritten. */
    public List<String> fetch(String remote) {
        try (Git git = new Git(repo)) {
            FetchResult result = git.fetch().setRemote(remote)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/remotes/" + remote + "/*"),
                            new RefSpec("refs/tags/*:refs/tags/*"))
                    .setCredentialsProvider(credentials()).call();
            List<String> refused = new ArrayList<>();
            List<String> updated = new ArrayList<>();
            for (TrackingRefUpdate u : result.getTrackingRefUpdates()) {
                switch (u.getResult()) {
                    case NEW, FORCED, FAST_FORWARD -> updated.add(u.getLocalName());
                    case NO_CHANGE -> {
                    }
                    default -> refused.add(org.eclipse.jgit.lib.Repository.shortenRefName(u.getLocalName()));
                }
            }
            if (!refused.isEmpty()) {
                throw MverException.conflict("these tags differ locally and on '%s': %s; a local registration was "
                        + "never pushed and someone else took the version: delete the local tag and register again",
                        remote, String.join(", ", refused));
            }
            return updated;
        } catch (GitAPIException e) {
            throw failure(remote, "fetch from", e);
        }
    }

    public static MverException failure(String remote, String what, GitAPIException e) {
        if (e instanceof InvalidRemoteException) {
            return MverException.notFound("no git remote named '%s'", remote);
        }
        String why = Text.printable(String.valueOf(e.getMessage()), 200);
        return new MverException(ExitCode.REMOTE, e instanceof TransportException
                ? "git remote '" + remote + "' is unavailable: " + why : what + " '" + remote + "' failed: " + why, e);
    }

    /** A token from the CI's environment, else git's own credential helpers (through the git binary). */
    public CredentialsProvider credentials() {
        for (String var : new String[] {"MVER_GIT_TOKEN", "GITHUB_TOKEN", "CI_JOB_TOKEN"}) {
            String token = env.get(var);
            if (token != null && !token.isEmpty()) {
                String user = var.equals("CI_JOB_TOKEN") ? "gitlab-ci-token" : env.getOrDefault("MVER_GIT_USER", "x-access-token");
                return new UsernamePasswordCredentialsProvider(user, token);
            }
        }
        return new GitCredentialHelper(repo.getWorkTree());
    }

    /** Asks {@code git credential fill} for a username and password, as git would for HTTPS. */
    static final class GitCredentialHelper extends CredentialsProvider {
        private final java.io.File repository;

        /** {@code repository}: where git runs, so the repository's own credential settings apply. */
        GitCredentialHelper(java.io.File repository) {
            this.repository = repository;
        }

        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public boolean supports(CredentialItem... items) {
            for (CredentialItem i : items) {
                if (!(i instanceof CredentialItem.Username) && !(i instanceof CredentialItem.Password)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean get(URIish uri, CredentialItem... items) {
            if (uri.getHost() == null) {
                return false;
            }
            String request = "protocol=" + (uri.getScheme() == null ? "https" : uri.getScheme()) + "\nhost="
                    + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "\n"
                    + (uri.getPath() == null ? "" : "path=" + uri.getPath().replaceFirst("^/", "") + "\n") + "\n";
            if (request.chars().filter(c -> c == '\n').count() > 5) {
                return false; // a newline smuggled into the URL
            }
            try {
                ProcessBuilder pb = new ProcessBuilder("git", "credential", "fill").directory(repository);
                pb.environment().put("GIT_TERMINAL_PROMPT", "0");
                pb.redirectError(ProcessBuilder.Redirect.DISCARD);
                Process p = pb.start();
                p.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    return false;
                }
                String user = null;
                String password = null;
                for (String line : out.split("\n")) {
                    if (line.startsWith("username=")) {
                        user = line.substring(9);
                    } else if (line.startsWith("password=")) {
                        password = line.substring(9);
                    }
                }
                if (user == null || password == null) {
                    return false;
                }
                for (CredentialItem i : items) {
                    if (i instanceof CredentialItem.Username u) {
                        u.setValue(user);
                    } else if (i instanceof CredentialItem.Password pw) {
                        pw.setValue(password.toCharArray());
                    }
                }
                return true;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
