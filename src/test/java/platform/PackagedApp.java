package platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged product started the way the container starts it ({@code bin/bc-server}), for integration tests. */
public final class PackagedApp implements AutoCloseable {

    private static final Path SCRIPT = Path.of("bin", "bc-server").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Path log;
    private final int port;
    private final Map<String, String> env;
    private Process process;

    /** An app on a free port with {@code env} (BC_* settings), logging to {@code log}. Not started yet. */
    public PackagedApp(Path log, Map<String, String> env) throws IOException {
        this.log = log;
        this.port = freePort();
        this.env = new HashMap<>(env);
        this.env.putIfAbsent("BC_CHAIN_EMBEDDED_PORT", "0");
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public PackagedApp start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("BC_") || k.startsWith("QUARKUS_"));
        environment.putAll(env);
        environment.put("BC_PORT", String.valueOf(port));
        process = builder.start();
        return this;
    }

    /** Waits until {@code /q/health/ready} answers 200 (up to 90 s). */
    public PackagedApp awaitReady() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server is running; see " + log).isTrue();
            if (readiness() == 200) {
                return this;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready within 90 s:\n" + Files.readString(log));
    }

    /** The status of {@code /q/health/ready}, or -1 when nothing answers. */
    public int readiness() throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return -1;
        }
    }

    /** SIGTERM, as {@code docker stop} sends; asserts it stops within 30 s. */
    public void stop() throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    }

    /** SIGKILL: no shutdown hooks, the embedded database and chain are orphaned. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The log so far (where an instance says which database port and signer it uses). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
