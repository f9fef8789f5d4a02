package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The holds table ({@code market_hold}, V42): which GPU an order holds over which time range. The
 * database refuses two overlapping firm holds (reservations, on-demand) or two overlapping spot holds
 * on one GPU; {@link #insert} asks it to skip a GPU it refuses rather than fail, so that racing orders
 * each take what is really free and no order waits on a lock of its own making.
 */
@ApplicationScoped
class Holds {

    /** A GPU to hold over [lower, upper); {@code upper} null: until further notice (pay-as-you-go). */
    record Slot(long gpuId, String gpuUuid, Instant lower, Instant upper) {
    }

    /** One hold as the lease feed and the guard read it. */
    record Hold(long orderId, long gpuId, String gpuUuid, OrderKind kind, Instant lower, Instant upper) {
    }

    private final Jdbc jdbc;

    Holds(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    private static String range(Instant upper) {
        return upper == null ? "tstzrange(?, null, '[)')" : "tstzrange(?, ?, '[)')";
    }

    private static int bindRange(PreparedStatement s, int index, Instant lower, Instant upper) throws java.sql.SQLException {
        s.setObject(index++, Jdbc.at(lower));
        if (upper != null) {
            s.setObject(index++, Jdbc.at(upper));
        }
        return index;
    }

    /** The GPUs of the pool that a firm hold (or, with {@code firm} false, a spot hold) takes at some time in [lower, upper). */
    Set<Long> busy(long poolId, boolean firm, Instant lower, Instant upper) {
        return new HashSet<>(jdbc.list("select distinct gpu_id from market_hold where pool_id = ? and "
                + (firm ? "kind <> 'SPOT'" : "kind = 'SPOT'") + " and during && " + range(upper), s -> {
            s.setLong(1, poolId);
            bindRange(s, 2, lower, upper);
        }, r -> r.getLong(1)));
    }

    /** The GPUs of the pool that an on-demand rental holds now or later (reservations prefer the others). */
    Set<Long> onDemand(long poolId, Instant now) {
        return new HashSet<>(jdbc.list("select distinct gpu_id from market_hold where pool_id = ? and kind = 'ON_DEMAND' "
                + "and (upper_inf(during) or upper(during) > ?)", s -> {
            s.setLong(1, poolId);
            s.setObject(2, Jdbc.at(now));
        }, r -> r.getLong(1)));
    }

    /** For each GPU of the pool, the start of its next firm hold that begins after {@code now}. */
    Map<Long, Instant> nextFirmStart(long poolId, Instant now) {
        Map<Long, Instant> next = new HashMap<>();
        jdbc.list("select gpu_id, min(lower(during)) as next from market_hold where pool_id = ? and kind <> 'SPOT' "
                + "and lower(during) > ? group by gpu_id", s -> {
            s.setLong(1, poolId);
            s.setObject(2, Jdbc.at(now));
        }, r -> next.put(r.getLong("gpu_id"), Jdbc.instant(r, "next")));
        return next;
    }

    /**
     * Holds, for order {@code orderId}, the first {@code need} of {@code slots} that the database
     * accepts, trying them in order; the GPUs it took (fewer than {@code need} when too few were free).
     */
    List<Long> insert(long orderId, long poolId, OrderKind kind, List<Slot> slots, int need) {
        List<Long> taken = new ArrayList<>();
        int next = 0;
        while (taken.size() < need && next < slots.size()) {
            List<Slot> batch = slots.subList(next, Math.min(slots.size(), next + need - taken.size()));
            next += batch.size();
            taken.addAll(jdbc.work(c -> {
                try (PreparedStatement s = c.prepareStatement("""
                        insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during)
                        select ?, ?, t.gpu, t.uuid, ?, tstzrange(t.lo, t.hi, '[)')
                        from unnest(?::bigint[], ?::text[], ?::timestamptz[], ?::timestamptz[]) as t(gpu, uuid, lo, hi)
                        on conflict do nothing returning gpu_id""")) {
                    s.setLong(1, orderId);
                    s.setLong(2, poolId);
                    s.setString(3, kind.name());
                    s.setArray(4, c.createArrayOf("bigint", batch.stream().map(Slot::gpuId).toArray()));
                    s.setArray(5, c.createArrayOf("text", batch.stream().map(Slot::gpuUuid).toArray()));
                    s.setArray(6, c.createArrayOf("text", batch.stream().map(x -> x.lower().toString()).toArray()));
                    Array uppers = c.createArrayOf("text", batch.stream().map(x -> x.upper() == null ? null : x.upper().toString()).toArray());
                    s.setArray(7, uppers);
                    List<Long> got = new ArrayList<>();
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            got.add(r.getLong(1));
                        }
                    }
                    return got;
                }
            }));
        }
        return taken;
    }

    void deleteOf(long orderId) {
        jdbc.update("delete from market_hold where order_id = ?", s -> s.setLong(1, orderId));
    }

    /** The open spot orders holding any of these GPUs at some time in [lower, upper) after {@code now}. */
    List<Long> spotOrdersOn(List<Long> gpuIds, Instant lower, Instant upper) {
        return jdbc.work(c -> {
            try (PreparedStatement s = c.prepareStatement("select distinct order_id from market_hold where kind = 'SPOT' "
                    + "and gpu_id = any(?) and during && " + range(upper) + " order by order_id")) {
                s.setArray(1, c.createArrayOf("bigint", gpuIds.toArray()));
                bindRange(s, 2, lower, upper);
                List<Long> ids = new ArrayList<>();
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        ids.add(r.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Ends the order's holds at {@code at}: a hold that starts at or after it goes, one that runs past
     * it (or has no end) is cut there.
     */
    void endAt(long orderId, Instant at) {
        jdbc.update("delete from market_hold where order_id = ? and lower(during) >= ?", s -> {
            s.setLong(1, orderId);
            s.setObject(2, Jdbc.at(at));
        });
        jdbc.update("update market_hold set during = tstzrange(lower(during), ?, '[)') where order_id = ? "
                + "and (upper_inf(during) or upper(during) > ?)", s -> {
            s.setObject(1, Jdbc.at(at));
            s.setLong(2, orderId);
            s.setObject(3, Jdbc.at(at));
        });
    }

    /** The order's holds. */
    List<Hold> of(long orderId) {
        return jdbc.list("select order_id, gpu_id, gpu_uuid, kind, lower(during) as lo, upper(during) as hi from market_hold "
                + "where order_id = ? order by gpu_id", s -> s.setLong(1, orderId), Holds::hold);
    }

    static Hold hold(ResultSet r) throws java.sql.SQLException {
        return new Hold(r.getLong("order_id"), r.getLong("gpu_id"), r.getString("gpu_uuid"), OrderKind.valueOf(r.getString("kind")),
                Jdbc.instant(r, "lo"), Jdbc.instant(r, "hi"));
    }
}
