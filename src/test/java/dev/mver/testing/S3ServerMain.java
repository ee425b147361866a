package dev.mver.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The loopback S3 server as a process, for the benchmarks: {@code S3ServerMain DIR} serves DIR, prints its endpoint
 * on one line and runs until its standard input closes.
 */
public final class S3ServerMain {
    private S3ServerMain() {
    }

    public static void main(String[] args) throws Exception {
        try (S3TestServer server = new S3TestServer(Files.createDirectories(Path.of(args[0])))) {
            System.out.println(server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the caller closes our input
            }
        }
    }
}
