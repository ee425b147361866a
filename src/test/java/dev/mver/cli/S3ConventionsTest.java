package dev.mver.cli;

import static dev.mver.testing.GitBinary.git;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mver.testing.Cli;
import dev.mver.testing.Files2;
import dev.mver.testing.HttpRecorder;
import dev.mver.testing.Repos;
import dev.mver.testing.S3TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An S3 remote behaves as AWS's own tools do: region and credentials from the standard sources, time limits, errors
 * that name what to fix, and retries only where a retry can help. Checked against a recording HTTP listener (what
 * the client sends), a listener that never answers, and s3proxy.
 */
class S3ConventionsTest {
    private static final Pattern SCOPE = Pattern.compile("Credential=[^/]+/\\d{8}/([a-z0-9-]+)/s3/aws4_request");

    @TempDir
    Path tmp;

    Path a;
    Cli cli;

    @BeforeEach
    void setUp() {
        a = Repos.withOrigin(tmp, "a", true);
        cli = new Cli(a);
        Files2.random(a.resolve("m/head.bin"), 100_000, 3);
        cli.run("register", "churn", "--version", "1.0.0", "-m", "v1", "--artifact", "m/head.bin").ok();
    }

    private Cli withEnv(String... pairs) {
        return cli.withEnv(withEnvMap(pairs));
    }

    private Map<String, String> withEnvMap(String... pairs) {
        Map<String, String> env = new HashMap<>(Cli.testEnv());
        env.put("HOME", tmp.resolve("home").toString());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** A clone of {@code a} after its remotes are committed and pushed: a teammate's clone, with an empty cache. */
    private Cli teammate() {
        git(a, "add", ".mver/config.json").ok();
        git(a, "commit", "-q", "-m", "remotes").ok();
        git(a, "push", "-q", "origin", "HEAD", "--tags").ok();
        Path b = tmp.resolve("b");
        git(tmp, "clone", "-q", tmp.resolve("origin.git").toString(), b.toString()).ok();
        return cli.in(b);
    }

    private static String signedRegion(HttpRecorder.Request r) {
        Matcher m = SCOPE.matcher(String.valueOf(r.header("Authorization")));
        assertTrue(m.find(), r.toString());
        return m.group(1);
    }

    private String regionSignedFor(Cli c, String... addArgs) throws IOException {
        try (HttpRecorder server = new HttpRecorder(n -> 403)) {
            List<String> add = new java.util.ArrayList<>(List.of("remote", "add", "cap", "s3://bucket-x/p",
                    "--endpoint", server.endpoint(), "--path-style"));
            add.addAll(List.of(addArgs));
            cli.run(add.toArray(String[]::new)).ok();
            try {
                c.run("push", "--remote", "cap").fails(7);
                return signedRegion(server.requests.get(0));
            } finally {
                cli.run("remote", "remove", "cap").ok();
            }
        }
    }

    @Test
    void the_region_comes_from_the_environment_or_the_profile_and_the_remote_option_overrides_them() throws Exception {
        assertEquals("us-east-1", regionSignedFor(withEnv()));
        assertEquals("eu-west-3", regionSignedFor(withEnv("AWS_REGION", "eu-west-3")));
        assertEquals("ap-south-1", regionSignedFor(withEnv("AWS_DEFAULT_REGION", "ap-south-1")));
        assertEquals("eu-west-3", regionSignedFor(withEnv("AWS_REGION", "eu-west-3", "AWS_DEFAULT_REGION",
                "ap-south-1")));

        Path config = Files.createDirectories(tmp.resolve("home/.aws")).resolve("config");
        Files.writeString(config, "[default]\nregion = ca-central-1\n[profile team]\nregion = sa-east-1\n");
        Files.writeString(tmp.resolve("home/.aws/credentials"), "[team]\naws_access_key_id = AKIATEAM\n"
                + "aws_secret_access_key = team-secret-value\n");
        assertEquals("ca-central-1", regionSignedFor(withEnv()));
        assertEquals("sa-east-1", regionSignedFor(withEnv("AWS_PROFILE", "team")));

        assertEquals("eu-north-1", regionSignedFor(withEnv("AWS_REGION", "eu-west-3"), "--region", "eu-north-1"));
    }

    @Test
    void a_refusal_is_not_retried_and_names_the_credentials_source_but_never_the_secret() throws Exception {
        Files.createDirectories(tmp.resolve("home/.aws"));
        Files.writeString(tmp.resolve("home/.aws/credentials"), "[team]\naws_access_key_id = AKIATEAM\n"
                + "aws_secret_access_key = team-secret-value\n");
        try (HttpRecorder server = new HttpRecorder(n -> 403)) {
            cli.run("remote", "add", "cap", "s3://bucket-x/p", "--endpoint", server.endpoint(), "--path-style").ok();
            Cli.Result r = withEnv("AWS_PROFILE", "team").run("push", "--remote", "cap").fails(7);
            assertEquals(1, server.requests.size(), "a 403 is final: " + server.requests);
            assertTrue(r.err().contains("HTTP 403") && r.err().contains("profile 'team' (AWS_PROFILE)"), r.err());
            assertFalse(r.err().contains("team-secret-value") || r.out().contains("team-secret-value"), r.err());
        }
    }

    @Test
    void server_errors_are_retried_with_backoff_and_then_succeed() throws Exception {
        // HEAD object: 500, 503, then 404 (absent); HEAD bucket: 200; PUT: 200.
        try (HttpRecorder server = new HttpRecorder(n -> n == 1 ? 500 : n == 2 ? 503 : n == 3 ? 404 : 200)) {
            cli.run("remote", "add", "cap", "s3://bucket-x/p", "--endpoint", server.endpoint(), "--path-style").ok();
            Cli.Result r = withEnv().run("push", "--remote", "cap").ok();
            assertTrue(r.out().startsWith("cap: 1 object uploaded"), r.out());
            assertEquals(List.of("HEAD", "HEAD", "HEAD", "HEAD", "PUT"),
                    server.requests.stream().map(HttpRecorder.Request::method).toList());
            HttpRecorder.Request put = server.requests.get(4);
            assertEquals("*", put.header("If-None-Match"), "create-only");
            // Over plain HTTP the payload is signed: the server checks its SHA-256, so no second checksum is sent.
            assertTrue(put.header("x-amz-content-sha256").matches("[0-9a-f]{64}"), put.toString());
        }
    }

    @Test
    void a_server_that_never_answers_fails_after_the_read_timeout_naming_the_remote_and_the_timeout()
            throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> held = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException e) {
                    // closed
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            cli.run("remote", "add", "silent", "s3://bucket-x/p", "--endpoint", "http://127.0.0.1:"
                    + silent.getLocalPort(), "--path-style", "--default").ok();
            cli.run("remote", "add", "slow", "s3://bucket-x/p", "--endpoint", "http://127.0.0.1:"
                    + silent.getLocalPort(), "--path-style", "--read-timeout", "2s").ok();
            Cli b = teammate();
            long start = System.nanoTime();
            Cli.Result r = withEnv("MVER_S3_READ_TIMEOUT", "1s").run("push").fails(7);
            long seconds = (System.nanoTime() - start) / 1_000_000_000L;
            assertTrue(seconds < 10, seconds + " s");
            assertTrue(r.err().contains("s3://bucket-x/p") && r.err().contains("did not answer within 1 s (read "
                    + "timeout; set MVER_S3_READ_TIMEOUT"), r.err());
            assertEquals(1, held.size(), "a timeout is not retried");

            // The remote's own option, and the same limit on the way in (a clone fetching).
            Cli.Result f = b.withEnv(withEnvMap()).run("fetch", "--remote", "slow", "churn@v1.0.0").fails(7);
            assertTrue(f.err().contains("did not answer within 2 s"), f.err());
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void a_time_limit_that_is_not_a_duration_is_refused_naming_where_it_came_from() {
        Cli.Result bad = cli.run("remote", "add", "x", "s3://bucket-x/p", "--read-timeout", "soon").fails(2);
        assertTrue(bad.err().contains("read_timeout 'soon' is not a duration"), bad.err());
        cli.run("remote", "add", "x", "s3://bucket-x/p", "--connect-timeout", "0").fails(2);
        cli.run("remote", "add", "x", "s3://bucket-x/p", "--endpoint", "http://127.0.0.1:9", "--default").ok();
        Cli.Result env = withEnv("MVER_S3_READ_TIMEOUT", "later").run("push").fails(2);
        assertTrue(env.err().contains("MVER_S3_READ_TIMEOUT 'later' is not a duration"), env.err());
    }

    @Test
    void the_default_time_limits_let_a_silent_server_fail_well_within_a_minute() {
        // One connect and one read timeout, not retried: the worst wait for a server that accepts and never answers.
        assertTrue(dev.mver.core.remote.s3.S3Remote.worstSilentWait().toSeconds() <= 60);
    }

    @Test
    void a_missing_bucket_is_named_as_such_on_push_fetch_and_verify() throws Exception {
        try (S3TestServer s3 = new S3TestServer(Files.createDirectories(tmp.resolve("s3")))) {
            cli.run("remote", "add", "typo", "s3://mver-tset/team", "--endpoint", s3.endpoint(), "--path-style",
                    "--default").ok();
            String expected = "bucket mver-tset does not exist at " + s3.endpoint();
            Cli.Result push = withEnv().run("push").fails(7);
            assertTrue(push.err().contains(expected), push.err());
            Cli.Result verify = withEnv().run("verify", "--remote", "typo").fails(7);
            assertTrue(verify.err().contains(expected), verify.err());

            Cli.Result checkout = teammate().withEnv(withEnvMap()).run("checkout", "churn@v1.0.0", "--to", tmp.resolve("out").toString())
                    .fails(7);
            assertTrue(checkout.err().contains(expected), checkout.err());
        }
    }

    @Test
    void missing_or_half_set_credentials_are_one_line_naming_the_source_to_fix() throws Exception {
        try (S3TestServer s3 = new S3TestServer(Files.createDirectories(tmp.resolve("s3")))) {
            cli.run("remote", "add", "s3", "s3://" + S3TestServer.BUCKET + "/team", "--endpoint", s3.endpoint(),
                    "--path-style", "--default").ok();
            Cli.Result profile = withEnv("AWS_PROFILE", "nope").run("push").fails(7);
            assertTrue(profile.err().contains("AWS profile 'nope' (AWS_PROFILE) is in neither "), profile.err());

            Cli.Result half = withEnv("AWS_ACCESS_KEY_ID", "AKIAHALF").run("push").fails(7);
            assertTrue(half.err().contains("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"), half.err());

            Cli.Result wrong = withEnv("AWS_ACCESS_KEY_ID", "AKIAWRONG", "AWS_SECRET_ACCESS_KEY", "wrong-secret-value")
                    .run("push").fails(7);
            assertTrue(wrong.err().contains("the credentials from AWS_ACCESS_KEY_ID are not valid there"), wrong.err());
            assertFalse(wrong.err().contains("wrong-secret-value"), wrong.err());
        }
    }

    @Test
    void a_multipart_upload_is_completed_create_only_and_losing_the_race_to_identical_bytes_is_no_error()
            throws Exception {
        Files2.random(a.resolve("m/big.bin"), 20L << 20, 4);
        cli.run("register", "churn", "--version", "1.1.0", "-m", "retrained", "--artifact", "m/head.bin",
                "--artifact", "m/big.bin").ok();
        try (HttpRecorder server = new HttpRecorder((r, n) -> {
            String q = r.path().contains("?") ? r.path().substring(r.path().indexOf('?')) : "";
            if (r.method().equals("HEAD")) {
                return HttpRecorder.Response.of(r.path().equals("/bucket-x") ? 200 : 404);
            }
            if (r.method().equals("POST") && q.contains("uploads")) {
                return new HttpRecorder.Response(200, Map.of(), "<InitiateMultipartUploadResult><Bucket>bucket-x"
                        + "</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>");
            }
            if (r.method().equals("POST")) {
                // Another clone completed the same key (the same bytes: the key is their hash) first.
                return new HttpRecorder.Response(412, Map.of(), "<Error><Code>PreconditionFailed</Code>"
                        + "<Message>At least one of the pre-conditions you specified did not hold</Message></Error>");
            }
            return new HttpRecorder.Response(200, Map.of("ETag", "\"etag-" + n + "\""), "");
        })) {
            cli.run("remote", "add", "cap", "s3://bucket-x/p", "--endpoint", server.endpoint(), "--path-style").ok();
            withEnv().run("push", "--remote", "cap").ok();
            List<HttpRecorder.Request> parts = server.requests.stream()
                    .filter(r -> r.method().equals("PUT") && r.path().contains("partNumber=")).toList();
            assertEquals(3, parts.size(), "20 MiB in 8 MiB parts: " + server.requests);
            HttpRecorder.Request complete = server.requests.stream()
                    .filter(r -> r.method().equals("POST") && r.path().contains("uploadId=u1")).findFirst().orElseThrow();
            assertEquals("*", complete.header("If-None-Match"), "the completion is create-only");
            assertTrue(server.requests.stream().anyMatch(r -> r.method().equals("DELETE")
                    && r.path().contains("uploadId=u1")), "the refused upload's parts are let go: " + server.requests);
        }
    }
}
