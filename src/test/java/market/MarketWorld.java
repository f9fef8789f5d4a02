package market;

import static io.restassured.RestAssured.given;

import accounts.TestWallet;
import credits.TestCredits;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import platform.EmbeddedPostgresResource;
import pools.TestPools;

/** What the market tests arrange through the real API: pools with GPUs in service, customers with DCs, orders. */
final class MarketWorld {

    private MarketWorld() {
    }

    /** A pool of {@link TestPools#poolBody} (spot 120,000, on-demand 200,000, reserved 30 d 180,000 and 365 d 150,000 DC/h). */
    record Pool(long id, TestPools.Op operator, List<Long> gpuIds, List<String> uuids) {
    }

    record Customer(TestWallet wallet, String token) {
        String address() {
            return wallet.address();
        }
    }

    /** A new pool with {@code gpus} GPUs in service. */
    static Pool pool(int gpus) {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        List<Long> ids = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            String uuid = TestPools.gpuUuid();
            long id = TestPools.registerGpu(op, poolId, uuid);
            TestPools.arrangeMinted(id);
            ids.add(id);
            uuids.add(uuid);
        }
        return new Pool(poolId, op, ids, uuids);
    }

    static Customer customer(long dc) {
        TestWallet wallet = TestWallet.random();
        Customer customer = new Customer(wallet, wallet.signIn());
        if (dc > 0) {
            TestCredits.give(wallet.address(), dc);
        }
        return customer;
    }

    /** The start of the hour {@code hours} hours after this one. */
    static Instant hourFromNow(int hours) {
        return Instant.now().truncatedTo(ChronoUnit.HOURS).plus(hours, ChronoUnit.HOURS);
    }

    static Map<String, Object> reservation(long poolId, int gpus, Instant start, Instant end) {
        return Map.of("poolId", poolId, "kind", "RESERVED", "gpus", gpus, "start", start.toString(), "end", end.toString());
    }

    static Map<String, Object> payAsYouGo(long poolId, String kind, int gpus) {
        return Map.of("poolId", poolId, "kind", kind, "gpus", gpus);
    }

    static Response order(Customer customer, String key, Object body) {
        return given().auth().oauth2(customer.token()).header("Idempotency-Key", key).contentType(ContentType.JSON).body(body)
                .post("/api/market/orders");
    }

    static Response order(Customer customer, Object body) {
        return order(customer, UUID.randomUUID().toString(), body);
    }

    static Connection db() throws SQLException {
        Map<String, String> settings = EmbeddedPostgresResource.jdbcSettings();
        return DriverManager.getConnection(settings.get("quarkus.datasource.jdbc.url"), settings.get("quarkus.datasource.username"),
                settings.get("quarkus.datasource.password"));
    }

    static long count(String sql) {
        try (Connection c = db(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Pairs of holds on one GPU at overlapping times that the constraints forbid: firm with firm, spot with spot. */
    static long overlappingHolds() {
        return count("""
                select count(*) from market_hold a join market_hold b
                  on a.gpu_id = b.gpu_id and a.id < b.id and a.during && b.during
                  and ((a.kind <> 'SPOT' and b.kind <> 'SPOT') or (a.kind = 'SPOT' and b.kind = 'SPOT'))""");
    }
}
