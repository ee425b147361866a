package dev.mver.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

/**
 * An HTTP server on loopback that records every request (method, path, headers) and answers each with the status
 * {@code statusOfRequest} gives for its number (1 for the first) and an empty body: for checking what a client
 * sends (the region it signs for, its retries) where a real S3 server would hide it.
 */
public final class HttpRecorder implements AutoCloseable {
    public record Request(String method, String path, Map<String, List<String>> headers) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** An answer: status, extra headers, body (empty: none). */
    public record Response(int status, Map<String, String> headers, String body) {
        public static Response of(int status) {
            return new Response(status, Map.of(), "");
        }
    }

    /** The answer to the {@code n}th request (1 for the first). */
    public interface Responder {
        Response answer(Request request, int n);
    }

    private final HttpServer server;
    public final List<Request> requests = new CopyOnWriteArrayList<>();

    public HttpRecorder(IntUnaryOperator statusOfRequest) throws IOException {
        this((request, n) -> Response.of(statusOfRequest.applyAsInt(n)));
    }

    public HttpRecorder(Responder responder) throws IOException {
        AtomicInteger n = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String query = exchange.getRequestURI().getRawQuery();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath()
                    + (query == null ? "" : "?" + query), Map.copyOf(exchange.getRequestHeaders()));
            requests.add(request);
            Response r = responder.answer(request, n.incrementAndGet());
            r.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            byte[] body = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (body.length == 0 || exchange.getRequestMethod().equals("HEAD")) {
                exchange.getResponseHeaders().add("Content-Length", "0");
                exchange.sendResponseHeaders(r.status(), -1);
            } else {
                exchange.sendResponseHeaders(r.status(), body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
