package market;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The holds table ({@code market_hold}, V53): which GPU an order holds over which time range. The
 * database refuses two overlapping firm holds (reservations, on-demand) or two overlapping spot holds
 * on one GPU; {@link #insert} asks it to skip a GPU it refuses ({@code on conflict do nothing}, which
 * PostgreSQL applies to exclusion constraints too) rather than fail, so that racing orders each take
 * what is really free. Ranges and that clause are PostgreSQL's own, hence native SQL, all of it here.
 */
@ApplicationScoped
class Holds {

    /** A GPU to hold over [lower, upper); {@code upper} null: until further notice (pay-as-you-go). */
    record Slot(long gpuId, String gpuUuid, Instant lower, Instant upper) {
    }

    /** One hold. */
    record Hold(long orderId, long gpuId, String gpuUuid, OrderKind kind, Instant lower, Instant upper) {
    }

    /** A hold as the lease feed reads it: when it really starts, its workload (JSON) and whether a firm hold follows it. */
    record Leased(long orderId, long gpuId, String gpuUuid, OrderKind kind, Instant starts, Instant upper, String workloadJson,
                  boolean yields) {
    }

    static final String OPEN = "('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING')";
    private static final String HOLD_COLUMNS = "h.order_id, h.gpu_id, h.gpu_uuid, h.kind, lower(h.during), upper(h.during)";

    private final EntityManager em;

    Holds(EntityManager em) {
        this.em = em;
    }

    /** A timestamptz as the driver gives it back (Hibernate hands native results over as it got them). */
    static Instant instant(Object value) {
        return value == null ? null : value instanceof OffsetDateTime o ? o.toInstant() : (Instant) value;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }

    /** {@code during && [lower, upper)} with {@code :lo} and {@code :hi} to bind ({@code :hi} absent when upper is null). */
    private static String overlaps(String column, Instant upper) {
        return column + " && tstzrange(:lo, " + (upper == null ? "null" : ":hi") + ", '[)')";
    }

    private static Query range(Query query, Instant lower, Instant upper) {
        query.setParameter("lo", lower);
        if (upper != null) {
            query.setParameter("hi", upper);
        }
        return query;
    }

    @SuppressWarnings("unchecked")
    private static Set<Long> ids(Query query) {
        Set<Long> ids = new HashSet<>();
        for (Object id : query.getResultList()) {
            ids.add(number(id));
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<Hold> holds(Query query) {
        List<Hold> holds = new ArrayList<>();
        for (Object[] r : (List<Object[]>) query.getResultList()) {
            holds.add(hold(r, 0));
        }
        return holds;
    }

    /** A hold from the {@link #HOLD_COLUMNS} of a row, starting at column {@code at}. */
    private static Hold hold(Object[] r, int at) {
        return new Hold(number(r[at]), number(r[at + 1]), (String) r[at + 2], OrderKind.valueOf((String) r[at + 3]), instant(r[at + 4]),
                instant(r[at + 5]));
    }

    /** The GPUs of the pool that a firm hold (or, with {@code firm} false, a spot hold) takes at some time in [lower, upper). */
    Set<Long> busy(long poolId, boolean firm, Instant lower, Instant upper) {
        return ids(range(em.createNativeQuery("select distinct gpu_id from market_hold where pool_id = :pool and "
                + (firm ? "kind <> 'SPOT'" : "kind = 'SPOT'") + " and " + overlaps("during", upper)), lower, upper)
                .setParameter("pool", poolId));
    }

    /** {@link #busy} of every pool at once, by pool: one query for the marketplace's list instead of one per pool. */
    @SuppressWarnings("unchecked")
    Map<Long, Set<Long>> busyByPool(boolean firm, Instant lower, Instant upper) {
        Map<Long, Set<Long>> busy = new HashMap<>();
        for (Object[] r : (List<Object[]>) range(em.createNativeQuery("select distinct pool_id, gpu_id from market_hold where "
                + (firm ? "kind <> 'SPOT'" : "kind = 'SPOT'") + " and " + overlaps("during", upper)), lower, upper).getResultList()) {
            busy.computeIfAbsent(number(r[0]), p -> new HashSet<>()).add(number(r[1]));
        }
        return busy;
    }

    /**
     * What a reservation over [lower, upper) avoids, in one read of the pool's holds: the GPUs a firm
     * hold takes then (it cannot have them), those a spot rental takes then, and those an on-demand
     * rental holds now or later (it prefers others).
     */
    record Around(Set<Long> firm, Set<Long> spot, Set<Long> onDemand) {
    }

    @SuppressWarnings("unchecked")
    Around around(long poolId, Instant lower, Instant upper, Instant now) {
        Around around = new Around(new HashSet<>(), new HashSet<>(), new HashSet<>());
        for (Object[] r : (List<Object[]>) em.createNativeQuery("""
                        select gpu_id, kind, during && tstzrange(:lo, :hi, '[)'), kind = 'ON_DEMAND' and during && tstzrange(:now, null, '[)')
                        from market_hold where pool_id = :pool
                          and (during && tstzrange(:lo, :hi, '[)') or (kind = 'ON_DEMAND' and during && tstzrange(:now, null, '[)')))""")
                .setParameter("pool", poolId).setParameter("lo", lower).setParameter("hi", upper).setParameter("now", now)
                .getResultList()) {
            long gpu = number(r[0]);
            if ((Boolean) r[2]) {
                (OrderKind.valueOf((String) r[1]) == OrderKind.SPOT ? around.spot() : around.firm()).add(gpu);
            }
            if ((Boolean) r[3]) {
                around.onDemand().add(gpu);
            }
        }
        return around;
    }

    /** For each GPU of the pool, the start of its next firm hold that begins after {@code now}. */
    @SuppressWarnings("unchecked")
    Map<Long, Instant> nextFirmStart(long poolId, Instant now) {
        Map<Long, Instant> next = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("select gpu_id, min(lower(during)) from market_hold "
                + "where pool_id = :pool and kind <> 'SPOT' and during && tstzrange(:now, null, '[)') and lower(during) > :now group by gpu_id")
                .setParameter("pool", poolId).setParameter("now", now).getResultList()) {
            next.put(number(r[0]), instant(r[1]));
        }
        return next;
    }

    /**
     * Holds, for order {@code orderId}, the first {@code need} of {@code slots} that the database
     * accepts, trying them in order; the GPUs it took (fewer than {@code need} when too few were free).
     * A slot another transaction holds uncommitted is waited for: the database decides, not this code.
     */
    List<Long> insert(long orderId, long poolId, OrderKind kind, List<Slot> slots, int need) {
        List<Long> taken = new ArrayList<>();
        for (int next = 0; taken.size() < need && next < slots.size(); next++) {
            Slot slot = slots.get(next);
            int inserted = range(em.createNativeQuery("insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) "
                    + "values (:order, :pool, :gpu, :uuid, :kind, tstzrange(:lo, " + (slot.upper() == null ? "null" : ":hi")
                    + ", '[)')) on conflict do nothing"), slot.lower(), slot.upper())
                    .setParameter("order", orderId).setParameter("pool", poolId).setParameter("gpu", slot.gpuId())
                    .setParameter("uuid", slot.gpuUuid()).setParameter("kind", kind.name()).executeUpdate();
            if (inserted == 1) {
                taken.add(slot.gpuId());
            }
        }
        return taken;
    }

    /**
     * Holds exactly these spans for the order (a piece of a split or merged slot taking over its
     * parents' holds, deleted first in the same transaction): the database still refuses an overlap.
     */
    void insertAll(long orderId, long poolId, OrderKind kind, List<SlotPieces.Span> spans) {
        for (SlotPieces.Span span : spans) {
            em.createNativeQuery("insert into market_hold (order_id, pool_id, gpu_id, gpu_uuid, kind, during) "
                            + "values (:order, :pool, :gpu, :uuid, :kind, tstzrange(:lo, :hi, '[)'))")
                    .setParameter("order", orderId).setParameter("pool", poolId).setParameter("gpu", span.gpuId())
                    .setParameter("uuid", span.gpuUuid()).setParameter("kind", kind.name()).setParameter("lo", span.lower())
                    .setParameter("hi", span.upper()).executeUpdate();
        }
    }

    void deleteOf(long orderId) {
        em.createNativeQuery("delete from market_hold where order_id = :order").setParameter("order", orderId).executeUpdate();
    }

    /** The open spot orders holding any of these GPUs at some time in [lower, upper). */
    @SuppressWarnings("unchecked")
    List<Long> spotOrdersOn(List<Long> gpuIds, Instant lower, Instant upper) {
        return ((List<Object>) range(em.createNativeQuery("select distinct h.order_id from market_hold h join market_order o "
                + "on o.id = h.order_id and o.status in " + OPEN + " where h.kind = 'SPOT' and h.gpu_id = any(:gpus) and "
                + overlaps("h.during", upper) + " order by h.order_id"), lower, upper)
                .setParameter("gpus", gpuIds.toArray(Long[]::new)).getResultList()).stream().map(Holds::number).toList();
    }

    /**
     * Ends the order's holds at {@code at}: a hold that starts at or after it goes, one that runs past
     * it (or has no end) is cut there.
     */
    void endAt(long orderId, Instant at) {
        em.createNativeQuery("delete from market_hold where order_id = :order and lower(during) >= :at")
                .setParameter("order", orderId).setParameter("at", at).executeUpdate();
        em.createNativeQuery("update market_hold set during = tstzrange(lower(during), :at, '[)') where order_id = :order "
                + "and (upper_inf(during) or upper(during) > :at)").setParameter("order", orderId).setParameter("at", at).executeUpdate();
    }

    /** The order's holds. */
    List<Hold> of(long orderId) {
        return holds(em.createNativeQuery("select " + HOLD_COLUMNS + " from market_hold h where h.order_id = :order order by h.gpu_id")
                .setParameter("order", orderId));
    }

    /** The holds of these orders. */
    List<Hold> ofOrders(Collection<Long> orderIds) {
        return holds(em.createNativeQuery("select " + HOLD_COLUMNS + " from market_hold h where h.order_id = any(:orders) "
                + "order by h.order_id, h.gpu_id").setParameter("orders", orderIds.toArray(Long[]::new)));
    }

    /** The firm holds of the pool's GPUs that overlap [lower, upper), for counting free GPUs hour by hour. */
    List<Hold> firmIn(long poolId, Instant lower, Instant upper) {
        return holds(range(em.createNativeQuery("select " + HOLD_COLUMNS + " from market_hold h where h.pool_id = :pool "
                + "and h.kind <> 'SPOT' and " + overlaps("h.during", upper)), lower, upper).setParameter("pool", poolId));
    }

    /** {@link #firmIn} of several pools in one query, by pool. */
    @SuppressWarnings("unchecked")
    Map<Long, List<Hold>> firmIn(Collection<Long> poolIds, Instant lower, Instant upper) {
        Map<Long, List<Hold>> byPool = new HashMap<>();
        for (Object[] r : (List<Object[]>) range(em.createNativeQuery("select h.pool_id, " + HOLD_COLUMNS + " from market_hold h "
                + "where h.pool_id = any(:pools) and h.kind <> 'SPOT' and " + overlaps("h.during", upper)), lower, upper)
                .setParameter("pools", poolIds.toArray(Long[]::new)).getResultList()) {
            byPool.computeIfAbsent(number(r[0]), p -> new ArrayList<>()).add(hold(r, 1));
        }
        return byPool;
    }

    /**
     * Every hold of the pool's GPUs that overlaps [lower, upper), firm and spot, of orders in any
     * status, with its order's status, by GPU and start (at most {@code limit}): the operator's view
     * of the pool's allocations.
     */
    @SuppressWarnings("unchecked")
    List<PoolHold> ofPool(long poolId, Instant lower, Instant upper, int limit) {
        List<PoolHold> holds = new ArrayList<>();
        for (Object[] r : (List<Object[]>) range(em.createNativeQuery("select " + HOLD_COLUMNS + ", o.status from market_hold h "
                + "join market_order o on o.id = h.order_id where h.pool_id = :pool and " + overlaps("h.during", upper)
                + " order by h.gpu_id, lower(h.during)"), lower, upper).setParameter("pool", poolId).setMaxResults(limit).getResultList()) {
            holds.add(new PoolHold(number(r[0]), number(r[1]), (String) r[2], OrderKind.valueOf((String) r[3]),
                    OrderStatus.valueOf((String) r[6]), instant(r[4]), instant(r[5])));
        }
        return holds;
    }

    /** The reservations GPU {@code gpuId} backs that are open and run past {@code after}, earliest first. */
    List<Hold> reservationsOn(long gpuId, Instant after) {
        return holds(em.createNativeQuery("select " + HOLD_COLUMNS + " from market_hold h join market_order o on o.id = h.order_id "
                + "where h.gpu_id = :gpu and h.kind = 'RESERVED' and upper(h.during) > :after and o.status in " + OPEN
                + " order by lower(h.during)").setParameter("gpu", gpuId).setParameter("after", after));
    }

    /** The pools with a reservation of an open order running at {@code at}. */
    @SuppressWarnings("unchecked")
    Set<Long> poolsReservedAt(Instant at) {
        return ids(em.createNativeQuery("select distinct h.pool_id from market_hold h join market_order o on o.id = h.order_id "
                + "where h.kind = 'RESERVED' and h.during @> cast(:at as timestamptz) and o.status in " + OPEN).setParameter("at", at));
    }

    /** The reservation holds of open orders on these GPUs that run at {@code at}. */
    List<Hold> reservedAt(List<Long> gpuIds, Instant at) {
        return holds(em.createNativeQuery("select " + HOLD_COLUMNS + " from market_hold h join market_order o on o.id = h.order_id "
                + "where h.gpu_id = any(:gpus) and h.kind = 'RESERVED' and h.during @> cast(:at as timestamptz) and o.status in " + OPEN
                + " order by h.order_id, h.gpu_id").setParameter("gpus", gpuIds.toArray(Long[]::new)).setParameter("at", at));
    }

    /**
     * Ends the order's hold on {@code gpuId} that runs at {@code at} there (gone, if it starts there):
     * a failover hands the rest of it to another GPU. Whether there was such a hold.
     */
    boolean cutAt(long orderId, long gpuId, Instant at) {
        int deleted = em.createNativeQuery("delete from market_hold where order_id = :order and gpu_id = :gpu and lower(during) = :at")
                .setParameter("order", orderId).setParameter("gpu", gpuId).setParameter("at", at).executeUpdate();
        return deleted + em.createNativeQuery("update market_hold set during = tstzrange(lower(during), :at, '[)') "
                + "where order_id = :order and gpu_id = :gpu and during @> cast(:at as timestamptz)")
                .setParameter("order", orderId).setParameter("gpu", gpuId).setParameter("at", at).executeUpdate() > 0;
    }

    /**
     * Spot holds of open orders that overlap a firm hold on the same GPU: the ones two orders placed at
     * the same moment left without notice (neither saw the other's uncommitted hold). Each spot order
     * with the start of the earliest such firm hold.
     */
    @SuppressWarnings("unchecked")
    Map<Long, Instant> unnoticedSpot() {
        Map<Long, Instant> unnoticed = new HashMap<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("""
                select s.order_id, min(lower(f.during))
                from market_hold s
                join market_hold f on f.gpu_id = s.gpu_id and f.kind <> 'SPOT' and f.during && s.during
                join market_order o on o.id = s.order_id and o.status in """ + OPEN + """
                 where s.kind = 'SPOT'
                group by s.order_id""").getResultList()) {
            unnoticed.put(number(r[0]), instant(r[1]));
        }
        return unnoticed;
    }

    /**
     * The current and upcoming holds of open orders on these GPUs, with when each really starts (a firm
     * hold on a GPU that a spot rental under notice still runs on starts when that notice ends), and
     * whether another firm hold starts right where it ends (an on-demand rental that yields to it).
     */
    @SuppressWarnings("unchecked")
    List<Leased> feed(List<Long> gpuIds, Instant now) {
        List<Leased> leased = new ArrayList<>();
        for (Object[] r : (List<Object[]>) em.createNativeQuery("""
                select h.order_id, h.gpu_id, h.gpu_uuid, h.kind, upper(h.during), cast(o.workload as text),
                    greatest(lower(h.during), coalesce((select max(upper(x.during)) from market_hold x
                        where x.gpu_id = h.gpu_id and x.kind = 'SPOT' and x.order_id <> h.order_id and h.kind <> 'SPOT'
                        and x.during @> lower(h.during)), lower(h.during))),
                    exists (select 1 from market_hold n where n.gpu_id = h.gpu_id and n.kind <> 'SPOT' and n.order_id <> h.order_id
                        and lower(n.during) = upper(h.during))
                from market_hold h join market_order o on o.id = h.order_id
                where h.gpu_id = any(:gpus) and o.status in """ + OPEN + """
                  and (upper_inf(h.during) or upper(h.during) > :now)
                order by h.gpu_id, lower(h.during)""").setParameter("gpus", gpuIds.toArray(Long[]::new)).setParameter("now", now)
                .getResultList()) {
            leased.add(new Leased(number(r[0]), number(r[1]), (String) r[2], OrderKind.valueOf((String) r[3]), instant(r[6]),
                    instant(r[4]), (String) r[5], (Boolean) r[7]));
        }
        return leased;
    }
}
