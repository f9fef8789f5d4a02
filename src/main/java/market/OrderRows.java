package market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import pools.Workload;

/** The orders table ({@code market_order}, V42). */
@ApplicationScoped
class OrderRows {

    /** An order as stored. */
    record Order(long id, String customer, String idempotencyKey, String requestHash, long poolId, OrderKind kind, OrderStatus status,
                 int gpus, Instant start, Instant end, long dcPerGpuHour, long priceDc, long chargedDc, Instant guaranteedUntil,
                 Instant noticeStopsAt, Workload workload, BigInteger slotTokenId) {

        OrderView view() {
            return new OrderView(id, kind, status, poolId, gpus, start, end, priceDc, chargedDc, slotTokenId, guaranteedUntil, noticeStopsAt);
        }
    }

    private static final String COLUMNS = "id, customer, idempotency_key, request_hash, pool_id, kind, status, gpus, start_at, end_at, "
            + "dc_per_gpu_hour, price_dc, charged_dc, guaranteed_until, notice_stops_at, workload::text as workload, slot_token_id";

    private final Jdbc jdbc;
    private final ObjectMapper json;

    OrderRows(Jdbc jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    long nextId() {
        return jdbc.list("select nextval('market_order_seq')", s -> { }, r -> r.getLong(1)).get(0);
    }

    /**
     * Stores a new order unless the customer already used its idempotency key (then nothing happens and
     * this answers false: a concurrent request with the same key is waited for, so it is visible then).
     */
    boolean insert(Order o, Instant now) {
        return jdbc.update("""
                insert into market_order (id, customer, idempotency_key, request_hash, pool_id, kind, status, gpus, start_at, end_at,
                    dc_per_gpu_hour, price_dc, charged_dc, guaranteed_until, notice_stops_at, workload, slot_token_id, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?::jsonb, ?, ?)
                on conflict (customer, idempotency_key) do nothing""", s -> {
            s.setLong(1, o.id());
            s.setString(2, o.customer());
            s.setString(3, o.idempotencyKey());
            s.setString(4, o.requestHash());
            s.setLong(5, o.poolId());
            s.setString(6, o.kind().name());
            s.setString(7, o.status().name());
            s.setInt(8, o.gpus());
            s.setObject(9, Jdbc.at(o.start()));
            s.setObject(10, Jdbc.at(o.end()));
            s.setLong(11, o.dcPerGpuHour());
            s.setLong(12, o.priceDc());
            s.setObject(13, Jdbc.at(o.guaranteedUntil()));
            s.setObject(14, Jdbc.at(o.noticeStopsAt()));
            s.setString(15, write(o.workload()));
            s.setBigDecimal(16, new BigDecimal(o.slotTokenId()));
            s.setObject(17, Jdbc.at(now));
        }) == 1;
    }

    /** Writes what allocation decided: the start, guarantee, notice and status. */
    void settle(long id, Instant start, Instant guaranteedUntil, Instant noticeStopsAt, OrderStatus status) {
        jdbc.update("update market_order set start_at = ?, guaranteed_until = ?, notice_stops_at = ?, status = ? where id = ?", s -> {
            s.setObject(1, Jdbc.at(start));
            s.setObject(2, Jdbc.at(guaranteedUntil));
            s.setObject(3, Jdbc.at(noticeStopsAt));
            s.setString(4, status.name());
            s.setLong(5, id);
        });
    }

    void end(long id, OrderStatus status, Instant end, Instant endedAt) {
        jdbc.update("update market_order set status = ?, end_at = ?, ended_at = ? where id = ?", s -> {
            s.setString(1, status.name());
            s.setObject(2, Jdbc.at(end));
            s.setObject(3, Jdbc.at(endedAt));
            s.setLong(4, id);
        });
    }

    Optional<Order> byKey(String customer, String key) {
        return jdbc.list("select " + COLUMNS + " from market_order where customer = ? and idempotency_key = ?", s -> {
            s.setString(1, customer);
            s.setString(2, key);
        }, this::order).stream().findFirst();
    }

    Optional<Order> byId(long id) {
        return jdbc.list("select " + COLUMNS + " from market_order where id = ?", s -> s.setLong(1, id), this::order).stream().findFirst();
    }

    /** The order, locked until the transaction ends (a job or another request changing it is waited for). */
    Optional<Order> lock(long id) {
        return jdbc.list("select " + COLUMNS + " from market_order where id = ? for update", s -> s.setLong(1, id), this::order)
                .stream().findFirst();
    }

    /** The order, locked, unless another transaction holds it (then empty: a job on another replica has it). */
    Optional<Order> claim(long id) {
        return jdbc.list("select " + COLUMNS + " from market_order where id = ? for update skip locked", s -> s.setLong(1, id), this::order)
                .stream().findFirst();
    }

    List<Order> ofCustomer(String customer, int limit) {
        return jdbc.list("select " + COLUMNS + " from market_order where customer = ? order by id desc limit ?", s -> {
            s.setString(1, customer);
            s.setInt(2, limit);
        }, this::order);
    }

    private Order order(ResultSet r) throws SQLException {
        return new Order(r.getLong("id"), r.getString("customer"), r.getString("idempotency_key"), r.getString("request_hash"),
                r.getLong("pool_id"), OrderKind.valueOf(r.getString("kind")), OrderStatus.valueOf(r.getString("status")), r.getInt("gpus"),
                Jdbc.instant(r, "start_at"), Jdbc.instant(r, "end_at"), r.getLong("dc_per_gpu_hour"), r.getLong("price_dc"),
                r.getLong("charged_dc"), Jdbc.instant(r, "guaranteed_until"), Jdbc.instant(r, "notice_stops_at"),
                read(r.getString("workload")), r.getBigDecimal("slot_token_id").toBigIntegerExact());
    }

    private String write(Workload workload) {
        try {
            return workload == null ? null : json.writeValueAsString(workload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A workload as stored (jsonb), or null. */
    Workload read(String text) {
        try {
            return text == null ? null : json.readValue(text, Workload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored workload no longer reads: " + e.getMessage(), e);
        }
    }
}
