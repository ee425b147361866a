package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.S3Fixture;
import dev.mver.testing.S3TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An S3 remote against a real S3 API server on loopback, with faults injected into the server. */
class S3RemoteTest {
    @TempDir
    Path tmp;

    S3Fixture fixture;
    S3TestServer server;
    Path origin;
    Path a;
    Cli cliA;
    String big;
    String small;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new S3Fixture(tmp, "team/models", 40L << 20, 200_000);
        server = fixture.server;
        origin = tmp.resolve("origin.git");
        a = fixture.repo;
        cliA = fixture.cli;
        big = fixture.big;
        small = fixture.small;
    }

    @AfterEach
    void tearDown() throws Exception {
        fixture.close();
    }

    Path cloneB() {
        Path b = tmp.resolve("b");
        git(tmp, "clone", "-q", origin.toString(), b.toString()).ok();
        return b;
    }

    @Test
    void push_multipart_and_single_then_rebuild_in_a_clone() throws Exception {
        Cli.Result r = cliA.run("push").ok();
        assertTrue(r.out().startsWith("s3: 2 objects uploaded"), r.out());
        assertTrue(server.store().blobExists(S3TestServer.BUCKET,
                "team/models/objects/" + big.substring(0, 2) + "/" + big.substring(2)));
        int uploads = server.uploads.get();
        assertTrue(cliA.run("push").ok().out().contains("0 objects uploaded"));
        assertEquals(uploads, server.uploads.get(), "pushing the same bytes twice uploads nothing");

        Path b = cloneB();
        new Cli(b).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString()).ok();
        assertEquals(big, Files2.sha256(tmp.resolve("out/m/weights.bin")));
        assertEquals(small, Files2.sha256(tmp.resolve("out/m/head.bin")));
    }

    @Test
    void content_md5_on_every_body_when_asked_is_checked_by_the_server_and_the_bytes_round_trip() throws Exception {
        cliA.run("remote", "add", "md5", "s3://" + S3TestServer.BUCKET + "/md5", "--endpoint", server.endpoint(),
                "--path-style", "--checksum", "md5").ok();
        assertTrue(cliA.run("push", "--remote", "md5", "--objects-only").ok().out().startsWith("md5: 2 objects uploaded"));
        cliA.run("verify", "--remote", "md5", "--deep").ok();
    }

    @Test
    void an_upload_that_dies_midway_is_retried_and_nothing_partial_is_visible() throws Exception {
        server.failUploads.set(2);
        Cli.Result r = cliA.run("push").ok();
        assertTrue(r.out().contains("2 objects uploaded"), r.out() + r.err());
        Path b = cloneB();
        new Cli(b).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString()).ok();
        assertEquals(big, Files2.sha256(tmp.resolve("out/m/weights.bin")));
    }

    @Test
    void a_corrupted_download_is_retried_once_then_refused_and_never_cached() throws Exception {
        cliA.run("push").ok();
        Path b = cloneB();
        Cli cliB = new Cli(b);
        server.corruptDownloads.set(1);
        cliB.run("checkout", "churn@v1.0.0", "--to", tmp.resolve("once").toString()).ok();
        assertEquals(small, Files2.sha256(tmp.resolve("once/m/head.bin")));

        Path c = tmp.resolve("c");
        git(tmp, "clone", "-q", origin.toString(), c.toString()).ok();
        server.corruptDownloads.set(-1);
        Cli.Result r = new Cli(c).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("never").toString());
        assertEquals(6, r.code(), r.err());
        assertTrue(r.err().contains("corrupt"), r.err());
        assertFalse(Files.exists(c.resolve(".git/mver/objects/" + small.substring(0, 2) + "/" + small.substring(2))));
        assertFalse(Files.exists(tmp.resolve("never/m/head.bin")));
    }

    @Test
    void an_unreachable_server_is_exit_7_and_credentials_never_show() throws Exception {
        cliA.run("remote", "add", "down", "s3://" + S3TestServer.BUCKET + "/x", "--endpoint", "http://127.0.0.1:1",
                "--path-style").ok();
        Cli.Result r = cliA.run("push", "--remote", "down", "--jobs", "1");
        assertEquals(7, r.code(), r.err());
        assertFalse(r.err().contains(System.getProperty("aws.secretAccessKey")), r.err());
        assertFalse(r.out().contains(System.getProperty("aws.secretAccessKey")));
    }

    @Test
    void a_damaged_copy_on_s3_is_found_by_verify_remote_and_put_back_by_push() throws Exception {
        cliA.run("push", "--remote", "s3").ok();
        cliA.run("verify", "--remote", "s3", "--deep").ok();
        String smallKey = "team/models/objects/" + small.substring(0, 2) + "/" + small.substring(2);
        String bigKey = "team/models/objects/" + big.substring(0, 2) + "/" + big.substring(2);
        server.store().putBlob(S3TestServer.BUCKET, server.store().blobBuilder(smallKey).payload(new byte[100]).build());

        Cli.Result sized = cliA.run("verify", "--remote", "s3");
        assertEquals(6, sized.code(), sized.out());
        assertTrue(sized.out().contains("has 100 bytes, not 200000") && sized.out().contains("s3://"
                + S3TestServer.BUCKET + "/" + smallKey), sized.out());
        Cli.Result push = cliA.run("push", "--remote", "s3").ok();
        assertTrue(push.out().contains("1 object uploaded") && push.err().contains("replacing it"), push.err());

        // The same size, other bytes: found by re-hashing only, and replaced (multipart) by push --repair.
        byte[] bytes;
        try (var in = server.store().getBlob(S3TestServer.BUCKET, bigKey).getPayload().openStream()) {
            bytes = in.readAllBytes();
        }
        bytes[bytes.length / 3] ^= 0x10;
        server.store().putBlob(S3TestServer.BUCKET, server.store().blobBuilder(bigKey).payload(bytes).build());
        cliA.run("verify", "--remote", "s3").ok();
        Cli.Result deep = cliA.run("verify", "--remote", "s3", "--deep");
        assertEquals(6, deep.code(), deep.out());
        assertTrue(deep.out().contains("churn@v1.0.0 m/weights.bin"), deep.out());
        cliA.run("push", "--remote", "s3", "--repair").ok();
        cliA.run("verify", "--remote", "s3", "--deep").ok();

        Path b = cloneB();
        new Cli(b).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString()).ok();
        assertEquals(big, Files2.sha256(tmp.resolve("out/m/weights.bin")));
        assertEquals(small, Files2.sha256(tmp.resolve("out/m/head.bin")));
    }
}
