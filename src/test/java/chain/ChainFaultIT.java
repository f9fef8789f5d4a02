package chain;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import chain.contracts.BerkeleyToken;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.gas.DefaultGasProvider;
import platform.PackagedApp;

/**
 * The outbox under faults, on the packaged app: a hard kill with mints in flight, and a chain that
 * goes away and comes back. Mint amounts are distinct powers of two, so the final balance says
 * exactly which mints happened: none lost, none twice.
 */
class ChainFaultIT {

    private static final String ADMIN = TestWallet.ADMIN.address();

    @TempDir
    Path work;

    @Test
    void aHardKillWithMintsInTheOutboxLosesNoneAndRepeatsNone() throws Exception {
        Map<String, String> env = Map.of("BC_DATA_DIR", work.resolve("data").toString(), "BC_ADMIN_WALLETS", ADMIN);
        Path log = work.resolve("server.log");
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        try (PackagedApp app = new PackagedApp(log, env).start().awaitReady()) {
            RestAssured.port = app.port();
            requestMints(TestWallet.ADMIN.signIn(), to, 100, "kill");
            app.kill();
        }
        try (PackagedApp app = new PackagedApp(log, env).start().awaitReady()) {
            RestAssured.port = app.port();
            String admin = TestWallet.ADMIN.signIn();
            awaitConfirmed(admin, "kill", 100);
            String rpc = given().get("/api/chain").then().extract().path("rpc");
            assertThat(balance(rpc, to)).isEqualTo(BigInteger.TWO.pow(100).subtract(BigInteger.ONE));
            app.stop();
        }
    }

    @Test
    void whenTheChainStopsTheAppStaysUpTheOutboxGrowsAndThenDrains() throws Exception {
        Path chainDir = work.resolve("external-chain");
        int chainPort = PackagedApp.freePort();
        EmbeddedChain chain = EmbeddedChain.start(TestChain.ANVIL, chainDir, 31337, chainPort, Duration.ofSeconds(1));
        Map<String, String> env = Map.of(
                "BC_DATA_DIR", work.resolve("data").toString(),
                "BC_ADMIN_WALLETS", ADMIN,
                "BC_CHAIN_RPC", chain.rpcUrl(),
                "BC_CHAIN_SIGNER_KEY", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        String to = Credentials.create(Keys.createEcKeyPair()).getAddress();
        try (PackagedApp app = new PackagedApp(work.resolve("server.log"), env).start().awaitReady()) {
            RestAssured.port = app.port();
            String admin = TestWallet.ADMIN.signIn();

            chain.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (app.readiness() != 503) {
                assertThat(System.nanoTime()).as("readiness turns DOWN").isLessThan(deadline);
                Thread.sleep(100);
            }
            given().get("/q/health/ready").then().statusCode(503);
            requestMints(admin, to, 20, "outage");
            Thread.sleep(1000);
            int pending = given().get("/api/chain").then().statusCode(200).extract().path("outbox.pending");
            int sent = given().get("/api/chain").then().extract().path("outbox.sent");
            assertThat(pending + sent).as("the outbox holds the mints while the chain is away").isGreaterThanOrEqualTo(20);

            chain = EmbeddedChain.start(TestChain.ANVIL, chainDir, 31337, chainPort, Duration.ofSeconds(1));
            awaitConfirmed(admin, "outage", 20);
            app.awaitReady();
            assertThat(balance(chain.rpcUrl(), to)).isEqualTo(BigInteger.TWO.pow(20).subtract(BigInteger.ONE));
            app.stop();
        } finally {
            chain.close();
        }
    }

    private static void requestMints(String admin, String to, int count, String prefix) {
        List<Map<String, String>> mints = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            mints.add(Map.of("to", to, "amount", BigInteger.TWO.pow(i).toString(), "key", prefix + "-" + i));
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("mints", mints))
                .post("/api/admin/chain/token-mints").then().statusCode(202);
    }

    private static void awaitConfirmed(String admin, String prefix, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            List<Map<String, Object>> effects = given().auth().oauth2(admin).queryParam("limit", 500)
                    .get("/api/admin/chain/effects").then().statusCode(200).extract().path("$");
            List<Map<String, Object>> mine = effects.stream()
                    .filter(e -> ((String) e.get("key")).startsWith("treasury-mint:" + prefix + "-")).toList();
            assertThat(mine).as("no mint the chain refused").noneMatch(e -> "FAILED".equals(e.get("status")));
            if (mine.size() == count && mine.stream().allMatch(e -> "CONFIRMED".equals(e.get("status")))) {
                return;
            }
            assertThat(System.nanoTime()).as("all " + count + " mints confirmed in time; now " + mine).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static BigInteger balance(String rpc, String holder) throws Exception {
        String token = given().get("/api/chain").then().extract().path("contracts.BerkeleyToken");
        Web3j web3j = Web3j.build(new HttpService(rpc));
        try {
            return BerkeleyToken.load(token, web3j, Credentials.create(Keys.createEcKeyPair()), new DefaultGasProvider())
                    .balanceOf(holder).send();
        } finally {
            web3j.shutdown();
        }
    }
}
