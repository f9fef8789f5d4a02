package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged product the way the container does ({@code bin/bc-server}), with no
 * configuration: it must get ready on its embedded database, keep its data across a clean stop and
 * a crash, and use an external PostgreSQL instead when one is configured.
 */
class StartScriptIT {

    private static final Path SCRIPT = Path.of("bin", "bc-server").toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path work;

    private Process server;

    @AfterEach
    void stopServer() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void zeroConfigStartKeepsItsDataAcrossACleanStopAndACrash() throws Exception {
        Path dataDir = work.resolve("data");
        int port = freePort();

        server = start(port, Map.of("BC_DATA_DIR", dataDir.toString()));
        awaitReady(port);
        TestWallet wallet = TestWallet.random();
        String key = createApiKey(port, wallet);

        stopCleanly();
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("PostgreSQL stopped with the app").doesNotExist();

        server = start(port, Map.of("BC_DATA_DIR", dataDir.toString()));
        awaitReady(port);
        assertKeyWorks(port, key, wallet);

        server.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: the postmaster is orphaned
        server = start(port, Map.of("BC_DATA_DIR", dataDir.toString()));
        awaitReady(port);
        assertKeyWorks(port, key, wallet);
        stopCleanly();
    }

    @Test
    void anExternalPostgresIsUsedAndNothingIsStartedBesideIt() throws Exception {
        Path dataDir = work.resolve("instance-data");
        try (EmbeddedDatabase external = EmbeddedDatabase.start(work.resolve("external-pg"), EmbeddedDatabase.Durability.THROWAWAY)) {
            int port = freePort();
            server = start(port, Map.of(
                    "BC_DATA_DIR", dataDir.toString(),
                    "BC_DB_URL", external.jdbcUrl(),
                    "BC_DB_USER", "postgres",
                    "BC_DB_PASSWORD", ""));
            awaitReady(port);
            TestWallet wallet = TestWallet.random();
            assertKeyWorks(port, createApiKey(port, wallet), wallet);
            assertThat(dataDir.resolve("postgres")).as("no embedded database beside the external one").doesNotExist();
            stopCleanly();
        }
    }

    private Process start(int port, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(SCRIPT.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("server.log").toFile()));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("BC_") || k.startsWith("QUARKUS_"));
        environment.putAll(new HashMap<>(env));
        environment.put("BC_PORT", String.valueOf(port));
        return builder.start();
    }

    private void stopCleanly() throws InterruptedException {
        server.destroy(); // SIGTERM, as docker stop sends
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
    }

    private void awaitReady(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("the server is running; see " + work.resolve("server.log")).isTrue();
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not ready within 90 s:\n" + Files.readString(work.resolve("server.log")));
    }

    private static String createApiKey(int port, TestWallet wallet) {
        RestAssured.port = port;
        return given().auth().oauth2(wallet.signIn()).contentType(ContentType.JSON)
                .body(Map.of("name", "restart-check"))
                .post("/api/me/api-keys").then().statusCode(201)
                .extract().path("key");
    }

    private static void assertKeyWorks(int port, String key, TestWallet wallet) {
        RestAssured.port = port;
        given().auth().oauth2(key).get("/api/me").then()
                .statusCode(200)
                .body("address", equalTo(wallet.address().toLowerCase()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
