package platform;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the packaged product the way the container does ({@code bin/bc-server}), with no
 * configuration: it must get ready on its embedded database and chain, keep its data across a clean
 * stop and a crash, and use an external PostgreSQL instead when one is configured.
 */
class StartScriptIT {

    @TempDir
    Path work;

    @Test
    void zeroConfigStartKeepsItsDataAndContractsAcrossACleanStopAndACrash() throws Exception {
        Map<String, String> env = Map.of("BC_DATA_DIR", work.resolve("data").toString());
        Path log = work.resolve("server.log");
        TestWallet wallet = TestWallet.random();
        String key;
        String contracts;
        try (PackagedApp app = new PackagedApp(log, env).start().awaitReady()) {
            RestAssured.port = app.port();
            key = createApiKey(wallet);
            contracts = given().get("/api/chain").then().statusCode(200).extract().path("contracts").toString();
            app.stop();
            assertThat(work.resolve("data/postgres/postmaster.pid")).as("PostgreSQL stopped with the app").doesNotExist();
            assertThat(work.resolve("data/chain/anvil.pid")).as("the chain stopped with the app").doesNotExist();
        }
        try (PackagedApp app = new PackagedApp(log, env).start().awaitReady()) {
            RestAssured.port = app.port();
            assertKeyWorks(key, wallet);
            assertThat(given().get("/api/chain").then().extract().path("contracts").toString())
                    .as("the same contracts after a restart").isEqualTo(contracts);
            app.kill(); // SIGKILL: PostgreSQL and anvil are orphaned
        }
        try (PackagedApp app = new PackagedApp(log, env).start().awaitReady()) {
            RestAssured.port = app.port();
            assertKeyWorks(key, wallet);
            assertThat(given().get("/api/chain").then().extract().path("contracts").toString()).isEqualTo(contracts);
            app.stop();
        }
    }

    @Test
    void anExternalPostgresIsUsedAndNothingIsStartedBesideIt() throws Exception {
        Path dataDir = work.resolve("instance-data");
        try (EmbeddedDatabase external = EmbeddedDatabase.start(work.resolve("external-pg"), EmbeddedDatabase.Durability.THROWAWAY);
             PackagedApp app = new PackagedApp(work.resolve("server.log"), Map.of(
                     "BC_DATA_DIR", dataDir.toString(),
                     "BC_DB_URL", external.jdbcUrl(),
                     "BC_DB_USER", "postgres",
                     "BC_DB_PASSWORD", "")).start().awaitReady()) {
            RestAssured.port = app.port();
            TestWallet wallet = TestWallet.random();
            assertKeyWorks(createApiKey(wallet), wallet);
            assertThat(dataDir.resolve("postgres")).as("no embedded database beside the external one").doesNotExist();
            app.stop();
        }
    }

    private static String createApiKey(TestWallet wallet) {
        return given().auth().oauth2(wallet.signIn()).contentType(ContentType.JSON)
                .body(Map.of("name", "restart-check"))
                .post("/api/me/api-keys").then().statusCode(201)
                .extract().path("key");
    }

    private static void assertKeyWorks(String key, TestWallet wallet) {
        given().auth().oauth2(key).get("/api/me").then()
                .statusCode(200)
                .body("address", equalTo(wallet.address().toLowerCase()));
    }
}
