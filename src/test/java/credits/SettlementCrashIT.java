package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import bench.SettlementRows;
import chain.MerkleTree;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import platform.EmbeddedDatabase;
import platform.PackagedApp;

/**
 * The packaged app is killed (SIGKILL) as it settles an epoch of one-minute epochs; after the
 * restart the epoch is settled once, with the root of its own published inputs, and its root is
 * asked of the chain once.
 */
class SettlementCrashIT {

    private static final Pattern SETTLING = Pattern.compile("Settling epoch (\\d+)");
    private static final Pattern SETTLED = Pattern.compile("Epoch (\\d+) settled and committed in");
    private static final long MINUTE = 60;

    @TempDir
    Path work;

    @Test
    void aSettlementKilledMidwayIsDoneOnceAfterTheRestartWithTheSameRoot() throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(work.resolve("pg"), EmbeddedDatabase.Durability.DURABLE);
             Connection db = DriverManager.getConnection(database.jdbcUrl(), "postgres", "")) {
            Map<String, String> env = Map.of("BC_DATA_DIR", work.resolve("data").toString(), "BC_DB_URL", database.jdbcUrl(),
                    "BC_DB_USER", "postgres", "BC_DB_PASSWORD", "", "BC_EPOCH_LENGTH", "1m", "BC_SETTLEMENT_CLOSE_DELAY", "1s",
                    "BC_SETTLEMENT_INTERVAL", "1s");
            long epoch;
            try (PackagedApp first = new PackagedApp(work.resolve("first.log"), env).start().awaitReady()) {
                // the next epoch: 2,000 GPUs in 20 pools, 300 burns each in its minute
                epoch = Instant.now().getEpochSecond() / MINUTE - Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() / MINUTE + 1;
                Instant start = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(epoch * MINUTE);
                SettlementRows.seed(db, 2_000, 20, 300, start, Duration.ofMillis(190), false);
                assertThat(Instant.now()).as("seeded before the epoch ended").isBefore(start.plusSeconds(MINUTE));
                String killedAt = awaitLog(first, SETTLING, epoch, Duration.ofMinutes(3));
                first.kill();
                System.out.println("killed at: " + killedAt + "; committed before the kill: " + count(first.log(), SETTLED, epoch));
            }
            try (PackagedApp second = new PackagedApp(work.resolve("second.log"), env).start().awaitReady()) {
                awaitLog(second, SETTLED, epoch, Duration.ofMinutes(2));
                int settled = count(Files.readString(work.resolve("first.log")), SETTLED, epoch) + count(second.log(), SETTLED, epoch);
                assertThat(settled).as("settled once, before or after the kill").isEqualTo(1);
                assertThat(one(db, "select count(*) from chain_outbox where effect_key = 'epoch-root:" + epoch + "'")).isEqualTo("1");
                assertThat(one(db, "select count(*) from credits_epoch_gpu where epoch = " + epoch)).isEqualTo("2000");

                ObjectMapper json = new ObjectMapper();
                RestAssured.port = second.port();
                JsonNode report = json.readTree(given().get("/api/epochs/" + epoch).then().statusCode(200).extract().asString());
                assertThat(report.get("totalDc").asLong()).isEqualTo(Long.parseLong(one(db,
                        "select sum(amount) from credits_posting where operation = 'BURN'")));
                String token = TestWallet.random().signIn();
                JsonNode result = json.readTree(given().auth().oauth2(token).contentType(ContentType.JSON).body(report.get("inputs").toString())
                        .post("/api/epochs/simulate").then().statusCode(200).extract().asString());
                assertThat(result).isEqualTo(report.get("result"));
                List<MerkleTree.Entitlement> entitlements = new ArrayList<>();
                result.get("payouts").forEach(p -> entitlements.add(new MerkleTree.Entitlement(p.get("holder").asText(),
                        new BigInteger(p.get("amount").asText()))));
                assertThat(report.get("merkleRoot").asText()).as("the root of the published payouts (the first epoch: cumulative = paid)")
                        .isEqualTo(MerkleTree.of(entitlements).root());
                second.stop();
            }
        }
    }

    private static String awaitLog(PackagedApp app, Pattern pattern, long epoch, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (count(app.log(), pattern, epoch) > 0) {
                return Instant.now().toString();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no '" + pattern + "' for epoch " + epoch + ":\n" + app.log());
    }

    private static int count(String log, Pattern pattern, long epoch) {
        int n = 0;
        Matcher m = pattern.matcher(log);
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == epoch) {
                n++;
            }
        }
        return n;
    }

    private static String one(Connection db, String sql) throws Exception {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
