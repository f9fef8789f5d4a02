package bench;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import platform.PackagedApp;

/**
 * Confirmed mints per second through the outbox relay against the embedded anvil, on the packaged
 * app: one-by-one (batch size 1: sign, send, wait for the receipt, next) versus pipelined nonces
 * (batch size 100: sign and send 100, then collect their receipts). Run with bench/relay.sh.
 */
public final class RelayBenchmark {

    private RelayBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        System.out.println(measure("one-by-one (batch size 1)", 1, 300, runs));
        System.out.println(measure("pipelined (batch size 100)", 100, 3000, runs));
        System.exit(0);
    }

    private static String measure(String label, int batchSize, int mints, int runs) throws Exception {
        Path work = Files.createTempDirectory("bc-relay-bench");
        try (PackagedApp app = new PackagedApp(work.resolve("server.log"), Map.of(
                "BC_DATA_DIR", work.resolve("data").toString(),
                "BC_ADMIN_WALLETS", TestWallet.ADMIN.address(),
                "BC_CHAIN_BATCH_SIZE", String.valueOf(batchSize))).start().awaitReady()) {
            RestAssured.port = app.port();
            String admin = TestWallet.ADMIN.signIn();
            run(admin, 50); // warm-up
            double[] rates = new double[runs];
            for (int i = 0; i < runs; i++) {
                rates[i] = run(admin, mints);
            }
            app.stop();
            Arrays.sort(rates);
            return String.format("%-28s %5d mints x %d runs: %s mints/s; median %.0f confirmed mints/s",
                    label, mints, runs, Arrays.toString(Arrays.stream(rates).map(Math::rint).toArray()), rates[runs / 2]);
        }
    }

    /** Requests {@code count} mints and returns confirmed mints per second, from the first request to the last confirmation. */
    private static double run(String admin, int count) throws InterruptedException {
        long confirmedBefore = confirmed();
        String to = Credentials.create(ecKey()).getAddress();
        long start = System.nanoTime();
        for (int sent = 0; sent < count; sent += 1000) {
            List<Map<String, String>> mints = new ArrayList<>();
            for (int i = sent; i < Math.min(count, sent + 1000); i++) {
                mints.add(Map.of("to", to, "amount", BigInteger.valueOf(i + 1).toString()));
            }
            given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("mints", mints))
                    .post("/api/admin/chain/token-mints").then().statusCode(202);
        }
        while (confirmed() < confirmedBefore + count) {
            Thread.sleep(20);
        }
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static long confirmed() {
        return ((Number) given().get("/api/chain").then().statusCode(200).extract().path("outbox.confirmed")).longValue();
    }

    private static org.web3j.crypto.ECKeyPair ecKey() {
        try {
            return Keys.createEcKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
