package dev.mver.core.git;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Files2;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.CredentialItem;
import org.eclipse.jgit.transport.CredentialsProvider;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS credentials as git users and CI expect: a token from the environment, else git's credential helpers. */
class GitCredentialsTest {
    @TempDir
    Path dir;

    Repository repo() throws Exception {
        git(dir, "init", "-q").ok();
        return new FileRepositoryBuilder().setWorkTree(dir.toFile()).build();
    }

    @Test
    void a_ci_token_in_the_environment_is_used_for_https() throws Exception {
        try (Repository repo = repo()) {
            CredentialsProvider p = new RegistrySync(repo, Map.of("GITHUB_TOKEN", "ghs_abc")).credentials();
            CredentialItem.Username user = new CredentialItem.Username();
            CredentialItem.Password password = new CredentialItem.Password();
            assertTrue(p.get(new URIish("https://github.com/team/models.git"), user, password));
            assertEquals("x-access-token", user.getValue());
            assertEquals("ghs_abc", new String(password.getValue()));
        }
    }

    @Test
    void without_a_token_gits_own_credential_helper_answers() throws Exception {
        Path store = Files2.write(dir.resolveSibling(dir.getFileName() + "-creds"), "https://alice:s3cret@git.example.com\n");
        try (Repository repo = repo()) {
            git(dir, "config", "credential.helper", "store --file=" + store).ok();
            CredentialsProvider p = new RegistrySync(repo, Map.of()).credentials();
            CredentialItem.Username user = new CredentialItem.Username();
            CredentialItem.Password password = new CredentialItem.Password();
            assertTrue(p.get(new URIish("https://git.example.com/team/models.git"), user, password));
            assertEquals("alice", user.getValue());
            assertEquals("s3cret", new String(password.getValue()));
            assertFalse(p.get(new URIish("https://other.example.com/x.git"), new CredentialItem.Username(),
                    new CredentialItem.Password()), "no helper answer, no prompt");
        } finally {
            java.nio.file.Files.deleteIfExists(store);
        }
    }
}
