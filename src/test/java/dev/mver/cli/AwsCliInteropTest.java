package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.GitBinary;
import dev.mver.testing.S3Fixture;
import dev.mver.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWS CLI as the independent client of the same bucket: what mver pushed, it lists and downloads, and the bytes
 * hash to their keys; what it uploads, mver fetches, verified.
 */
class AwsCliInteropTest {
    private static final String PREFIX = "team/models";

    @TempDir
    Path tmp;

    S3Fixture fixture;
    S3TestServer server;
    Path a;
    Cli cli;
    String big;
    String small;

    @BeforeEach
    void setUp() throws Exception {
        // Above the part size, so both sides go multipart (8 MiB parts) and mver downloads in ranges.
        fixture = new S3Fixture(tmp, PREFIX, 20L << 20, 100_000);
        server = fixture.server;
        a = fixture.repo;
        cli = fixture.cli;
        big = fixture.big;
        small = fixture.small;
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    /** The AWS CLI (Debian's, else the first on the PATH) against the loopback server, isolated from ~/.aws. */
    private GitBinary.Result aws(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Files.isExecutable(Path.of("/usr/bin/aws")) ? "/usr/bin/aws" : "aws",
                "--endpoint-url", server.endpoint()));
        cmd.addAll(List.of(args));
        return GitBinary.run(tmp, Map.of("AWS_ACCESS_KEY_ID", System.getProperty("aws.accessKeyId"),
                "AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey"), "AWS_DEFAULT_REGION", "us-east-1",
                "AWS_EC2_METADATA_DISABLED", "true", "AWS_PAGER", "", "HOME", tmp.toString()), cmd);
    }

    private static String key(String sha) {
        return PREFIX + "/objects/" + sha.substring(0, 2) + "/" + sha.substring(2);
    }

    private String url(String sha) {
        return "s3://" + S3TestServer.BUCKET + "/" + key(sha);
    }

    private Cli teammate() {
        git(a, "push", "-q", "origin", "HEAD", "--tags").ok();
        Path b = tmp.resolve("b");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), b.toString()).ok();
        return cli.in(b);
    }

    @Test
    void objects_mver_pushed_are_listed_and_downloaded_by_the_aws_cli_and_hash_to_their_keys() throws Exception {
        cli.run("push").ok();
        GitBinary.Result ls = aws("s3", "ls", "--recursive", "s3://" + S3TestServer.BUCKET + "/" + PREFIX + "/");
        assertEquals(0, ls.code(), ls.err());
        TreeSet<String> keys = new TreeSet<>();
        // s3proxy's folder store also lists its folders, as keys ending in '/'.
        ls.out().lines().map(l -> l.substring(l.lastIndexOf(' ') + 1)).filter(k -> !k.endsWith("/")).forEach(keys::add);
        assertEquals(new TreeSet<>(List.of(key(big), key(small))), keys, ls.out());
        for (String sha : List.of(big, small)) {
            Path copy = tmp.resolve("aws-" + sha);
            GitBinary.Result cp = aws("s3", "cp", "--only-show-errors", url(sha), copy.toString());
            assertEquals(0, cp.code(), cp.err());
            assertEquals(sha, Files2.sha256(copy), "the bytes at a key hash to the key");
        }
    }

    @Test
    void objects_the_aws_cli_uploaded_are_fetched_verified_and_wrong_ones_refused() throws Exception {
        Path cache = a.resolve(".git/mver/objects");
        for (String sha : List.of(big, small)) {
            GitBinary.Result cp = aws("s3", "cp", "--only-show-errors", cache.resolve(sha.substring(0, 2)).resolve(sha.substring(2))
                    .toString(), url(sha));
            assertEquals(0, cp.code(), cp.err());
        }
        Cli b = teammate();
        b.run("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString()).ok();
        assertEquals(big, Files2.sha256(tmp.resolve("out/m/weights.bin")));
        assertEquals(small, Files2.sha256(tmp.resolve("out/m/head.bin")));

        // The same sizes, other bytes, put over them with the AWS CLI: a fresh clone refuses them.
        for (String sha : List.of(big, small)) {
            Path wrong = tmp.resolve("wrong-" + sha);
            Files2.random(wrong, Files.size(tmp.resolve(sha.equals(big) ? "out/m/weights.bin" : "out/m/head.bin")),
                    99);
            assertEquals(0, aws("s3", "cp", "--only-show-errors", wrong.toString(), url(sha)).code());
        }
        Path c = tmp.resolve("c");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), c.toString()).ok();
        Cli.Result r = cli.in(c).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("never").toString());
        assertEquals(6, r.code(), r.err());
        assertTrue(r.err().contains("corrupt"), r.err());
        assertFalse(Files.exists(c.resolve(".git/mver/objects/" + big.substring(0, 2) + "/" + big.substring(2))));
        assertFalse(Files.exists(c.resolve(".git/mver/objects/" + small.substring(0, 2) + "/" + small.substring(2))));
    }
}
