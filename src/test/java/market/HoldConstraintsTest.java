package market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * The database itself, through plain JDBC and no market code, refuses what must never happen: two
 * firm holds (reservations, on-demand) on one GPU at once, or two spot holds; and lets a spot hold
 * overlap a firm one (the market gives the spot rental notice instead).
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class HoldConstraintsTest {

    private static final long GPU = 900_000_000L; // no GPU of pools has such an id; holds name GPUs by id only

    private static long order(Connection c, String kind) throws SQLException {
        try (Statement s = c.createStatement()) {
            var r = s.executeQuery("select nextval('market_order_seq')");
            r.next();
            long id = r.getLong(1);
            s.executeUpdate("insert into market_order (id, customer, idempotency_key, request_hash, pool_id, kind, status, gpus, start_at, "
                    + "end_at, dc_per_gpu_hour, price_dc, guaranteed_until, slot_token_id, created_at) values (" + id
                    + ", '0x" + "00".repeat(20) + "', 'jdbc-" + id + "', 'h', 1, '" + kind + "', 'SCHEDULED', 1, "
                    + "'2030-01-01T00:00:00Z', '2030-01-02T00:00:00Z', 1, 1, '2030-01-08T00:00:00Z', " + id + ", now())");
            return id;
        }
    }

    private static void hold(Connection c, long order, String kind, long gpu, String from, String to) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) "
                + "values (?, 1, ?, 'GPU-x', ?, tstzrange(?::timestamptz, ?::timestamptz, '[)'))")) {
            s.setLong(1, order);
            s.setLong(2, gpu);
            s.setString(3, kind);
            s.setString(4, from);
            s.setString(5, to);
            s.executeUpdate();
        }
    }

    @Test
    void theDatabaseRefusesOverlappingFirmHoldsAndSpotOnSpotButNotSpotOnFirm() throws Exception {
        try (Connection c = MarketWorld.db()) {
            c.setAutoCommit(false);
            long reservation = order(c, "RESERVED");
            long onDemand = order(c, "ON_DEMAND");
            long spot = order(c, "SPOT");
            long otherSpot = order(c, "SPOT");
            hold(c, reservation, "RESERVED", GPU, "2030-01-01T00:00:00Z", "2030-01-01T10:00:00Z");
            var before = c.setSavepoint("before");

            assertThatThrownBy(() -> hold(c, onDemand, "ON_DEMAND", GPU, "2030-01-01T09:00:00Z", "2030-01-08T00:00:00Z"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("market_hold_firm")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("23P01"));
            c.rollback(before);
            assertThatThrownBy(() -> hold(c, reservation, "RESERVED", GPU, "2030-01-01T05:00:00Z", "2030-01-01T06:00:00Z"))
                    .hasMessageContaining("market_hold_firm");
            c.rollback(before);

            // back to back is no overlap ([start, end) ranges), and another GPU is another matter
            hold(c, onDemand, "ON_DEMAND", GPU, "2030-01-01T10:00:00Z", "2030-01-08T00:00:00Z");
            hold(c, onDemand, "ON_DEMAND", GPU + 1, "2030-01-01T05:00:00Z", "2030-01-08T00:00:00Z");
            // a spot hold over both firm ones is allowed; a second spot hold over it is not
            hold(c, spot, "SPOT", GPU, "2030-01-01T00:00:00Z", "2030-02-01T00:00:00Z");
            before = c.setSavepoint("spot");
            assertThatThrownBy(() -> hold(c, otherSpot, "SPOT", GPU, "2030-01-15T00:00:00Z", "2030-01-16T00:00:00Z"))
                    .hasMessageContaining("market_hold_spot");
            c.rollback(before);
            // an open-ended pay-as-you-go hold (no upper bound) overlaps everything after its start
            assertThatThrownBy(() -> {
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) values (" + otherSpot
                            + ", 1, " + GPU + ", 'GPU-x', 'SPOT', tstzrange('2031-01-01T00:00:00Z', null, '[)'))");
                    s.executeUpdate("insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) values (" + spot
                            + ", 1, " + GPU + ", 'GPU-x', 'SPOT', tstzrange('2040-01-01T00:00:00Z', null, '[)'))");
                }
            }).hasMessageContaining("market_hold_spot");
            c.rollback();
        }
    }
}
