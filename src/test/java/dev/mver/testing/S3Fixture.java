package dev.mver.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A clone with a bare origin and the default remote {@code s3} on a loopback S3 server, with {@code churn@v1.0.0}
 * registered: a large artifact (above the part size, so uploads go multipart and downloads in ranges) and a small one.
 */
public final class S3Fixture implements AutoCloseable {
    public final S3TestServer server;
    public final Path repo;
    public final Cli cli;
    /** The SHA-256 of {@code m/weights.bin} and of {@code m/head.bin}. */
    public final String big;
    public final String small;

    public S3Fixture(Path tmp, String prefix, long bigBytes, long smallBytes) throws Exception {
        server = new S3TestServer(Files.createDirectories(tmp.resolve("s3data")));
        repo = Repos.withOrigin(tmp, "a", true);
        cli = new Cli(repo);
        cli.run("remote", "add", "s3", "s3://" + S3TestServer.BUCKET + "/" + prefix, "--endpoint", server.endpoint(),
                "--path-style", "--default").ok();
        big = Files2.sha256(Files2.random(repo.resolve("m/weights.bin"), bigBytes, 1));
        small = Files2.sha256(Files2.random(repo.resolve("m/head.bin"), smallBytes, 2));
        cli.run("register", "churn", "--version", "1.0.0", "-m", "v1", "--artifact", "m/weights.bin",
                "--artifact", "m/head.bin").ok();
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
