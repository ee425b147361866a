package dev.mver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real headless Chromium (Debian's {@code chromium}, which {@code .ci/run} installs), driven two ways: its own
 * command line ({@code --dump-dom}, {@code --screenshot}) and the DevTools protocol over a WebSocket, which is the
 * only way to hear what the browser's console says (a resource that failed to load is logged there, not on
 * stderr) and to ask the laid-out page how wide it is. {@code MVER_CHROMIUM} names another binary; with
 * {@code MVER_REQUIRE_BROWSER=1} (set by {@code .ci/run}) a missing browser fails the test instead of skipping it.
 */
public final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new ArrayList<>();

    /** The browser's binary; the calling test is skipped (or failed, where CI requires it) when there is none. */
    public static Path binary() {
        Optional<Path> found = Optional.ofNullable(System.getenv("MVER_CHROMIUM")).map(Path::of)
                .or(() -> onPath("chromium")).or(() -> onPath("chromium-browser")).or(() -> onPath("google-chrome"));
        if (found.isEmpty() && "1".equals(System.getenv("MVER_REQUIRE_BROWSER"))) {
            Assertions.fail("no chromium on PATH, and MVER_REQUIRE_BROWSER=1");
        }
        Assumptions.assumeTrue(found.isPresent(), "chromium is not installed");
        return found.get();
    }

    private static Optional<Path> onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The command line every run shares: headless, its own profile, no sandbox (CI runs as root), sRGB and no
     * font hinting so screenshots vary less between machines.
     */
    private static List<String> command(Path binary, Path profile, String... args) {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                "--force-color-profile=srgb", "--font-render-hinting=none", "--user-data-dir=" + profile));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The page's DOM after it loaded, as {@code chromium --dump-dom} prints it; scratch files go under {@code tmp}. */
    public static String dumpDom(Path binary, Path tmp, URI page) throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "dom", ".html");
        run(command(binary, Files.createTempDirectory(tmp, "profile"), "--dump-dom", page.toString()), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** {@code chromium --screenshot} of the page in a window of the given size, written to {@code png}. */
    public static void screenshot(Path binary, Path tmp, URI page, int width, int height, Path png)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(tmp, "shot", ".log");
        run(command(binary, Files.createTempDirectory(tmp, "profile"), "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                page.toString()), out);
        Assertions.assertTrue(Files.size(png) > 0, "chromium wrote no screenshot to " + png);
    }

    private static void run(List<String> cmd, Path stdout) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly();
            Assertions.fail("chromium did not finish in " + TIMEOUT + ": " + cmd);
        }
        Assertions.assertEquals(0, p.exitValue(), "chromium failed: " + cmd);
    }

    /** Starts a browser to drive over the DevTools protocol; its profile goes under {@code tmp}. */
    public static Chromium launch(Path binary, Path tmp) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command(binary, Files.createTempDirectory(tmp, "profile"),
                "--remote-debugging-port=0", "about:blank"))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try {
                for (String line; (line = err.readLine()) != null; ) {
                    int at = line.indexOf("ws://");
                    if (line.startsWith("DevTools listening on ") && at >= 0) {
                        url.complete(line.substring(at).trim());
                    }
                }
            } catch (IOException e) {
                // the browser went away; a waiting caller times out
            }
            url.completeExceptionally(new IOException("chromium exited before it listened for DevTools"));
        }, "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        try {
            return new Chromium(p, url.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new IOException("cannot drive chromium: " + e.getMessage(), e);
        }
    }

    private Chromium(Process process, String url) throws IOException {
        this.process = process;
        try {
            this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(url), new Listener()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IOException("cannot connect to chromium at " + url + ": " + e.getMessage(), e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            message.append(data);
            if (last) {
                try {
                    JsonNode m = JSON.readTree(message.toString());
                    if (m.has("id")) {
                        CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
                        if (f != null) {
                            f.complete(m);
                        }
                    } else {
                        synchronized (events) {
                            events.add(m);
                            events.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // not JSON: never sent by the protocol
                }
                message.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    /** Sends a command (to a page's session when {@code session} is set) and returns its result. */
    private JsonNode send(String session, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params == null ? JSON.createObjectNode() : params);
        if (session != null) {
            msg.put("sessionId", session);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IOException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    private static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** What a page said and measured once loaded in a viewport. */
    public record Loaded(List<String> errors, int scrollWidth, int viewportWidth, String background,
                         String tableOverflow, byte[] png) {
    }

    /**
     * Opens {@code page} in a new tab whose viewport is {@code width} by {@code height} CSS pixels (a phone's when
     * {@code mobile}: the viewport meta applies), with the given {@code prefers-color-scheme} and media type
     * ({@code screen} or {@code print}), and reports every console error, the document's laid-out width, the
     * body's background colour, a table wrapper's computed overflow and a screenshot of the viewport.
     */
    public Loaded open(URI page, int width, int height, boolean mobile, String colorScheme, String media)
            throws Exception {
        String target = send(null, "Target.createTarget", params().put("url", "about:blank")).path("targetId")
                .asText();
        String session = send(null, "Target.attachToTarget", params().put("targetId", target).put("flatten", true))
                .path("sessionId").asText();
        try {
            for (String domain : List.of("Page", "Log", "Runtime")) {
                send(session, domain + ".enable", null);
            }
            send(session, "Emulation.setDeviceMetricsOverride", params().put("width", width).put("height", height)
                    .put("deviceScaleFactor", 1).put("mobile", mobile));
            ObjectNode emulated = params().put("media", media);
            emulated.putArray("features").addObject().put("name", "prefers-color-scheme").put("value", colorScheme);
            send(session, "Emulation.setEmulatedMedia", emulated);
            int seen = eventCount();
            send(session, "Page.navigate", params().put("url", page.toString()));
            awaitEvent(session, "Page.loadEventFired", seen);
            JsonNode measured = send(session, "Runtime.evaluate", params().put("returnByValue", true).put("expression",
                    "JSON.stringify({sw: document.documentElement.scrollWidth, vw: window.innerWidth,"
                            + " bg: getComputedStyle(document.body).backgroundColor,"
                            + " ov: (document.querySelector('.scroll') ? getComputedStyle(document.querySelector("
                            + "'.scroll')).overflowX : '')})")).path("result").path("value");
            JsonNode m = JSON.readTree(measured.asText());
            byte[] png = java.util.Base64.getDecoder().decode(send(session, "Page.captureScreenshot",
                    params().put("format", "png")).path("data").asText());
            return new Loaded(errors(session, seen), m.path("sw").asInt(), m.path("vw").asInt(),
                    m.path("bg").asText(), m.path("ov").asText(), png);
        } finally {
            send(null, "Target.closeTarget", params().put("targetId", target));
        }
    }

    private int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    private void awaitEvent(String session, String method, int from) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        synchronized (events) {
            while (true) {
                for (int i = from; i < events.size(); i++) {
                    JsonNode e = events.get(i);
                    if (method.equals(e.path("method").asText()) && session.equals(e.path("sessionId").asText())) {
                        return;
                    }
                }
                long left = deadline - System.nanoTime();
                Assertions.assertTrue(left > 0, "no " + method + " within " + TIMEOUT);
                events.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    /** Console errors, uncaught exceptions and failed loads the browser logged for the session since {@code from}. */
    private List<String> errors(String session, int from) {
        List<String> out = new ArrayList<>();
        synchronized (events) {
            for (JsonNode e : events.subList(from, events.size())) {
                if (!session.equals(e.path("sessionId").asText())) {
                    continue;
                }
                JsonNode p = e.path("params");
                switch (e.path("method").asText()) {
                    case "Log.entryAdded" -> {
                        if (p.path("entry").path("level").asText().equals("error")) {
                            out.add(p.path("entry").path("text").asText() + " " + p.path("entry").path("url").asText());
                        }
                    }
                    case "Runtime.exceptionThrown" -> out.add(p.path("exceptionDetails").toString());
                    case "Runtime.consoleAPICalled" -> {
                        if (List.of("error", "assert").contains(p.path("type").asText())) {
                            out.add(p.path("args").toString());
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        try {
            // Not awaited: the browser may exit before it answers.
            socket.sendText("{\"id\": " + ids.incrementAndGet() + ", \"method\": \"Browser.close\"}", true)
                    .get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already gone: the process is ended below either way
        }
        socket.abort();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
