package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import pools.LeaseSource;
import pools.LeavingGuard;
import pools.Pools;

/**
 * What the market tells the pools module: the lease feed (per GPU, the current and upcoming holds
 * of open orders, with the order's workload) and whether a GPU may leave its pool.
 */
@ApplicationScoped
class MarketLeases implements LeaseSource, LeavingGuard {

    private final Jdbc jdbc;
    private final OrderRows rows;
    private final Allocation allocation;

    MarketLeases(Jdbc jdbc, OrderRows rows, Allocation allocation) {
        this.jdbc = jdbc;
        this.rows = rows;
        this.allocation = allocation;
    }

    /**
     * One lease per hold that has not ended: it starts at the hold's start, or where a spot rental
     * under notice still runs on the GPU then, when that notice ends; it ends at the hold's end for a
     * reservation and a spot rental (a preempted spot lease leaves the feed at stopsAt), and is
     * open-ended for an on-demand rental unless a reservation takes the GPU when its guarantee ends.
     */
    @Override
    public List<Lease> leases(List<Long> gpuIds, Instant now) {
        return jdbc.work(c -> {
            try (var s = c.prepareStatement("""
                    select h.order_id, h.gpu_id, h.gpu_uuid, h.kind, upper(h.during) as hi, o.workload::text as workload,
                        greatest(lower(h.during), coalesce((select max(upper(x.during)) from market_hold x
                            where x.gpu_id = h.gpu_id and x.kind = 'SPOT' and x.order_id <> h.order_id and h.kind <> 'SPOT'
                            and x.during @> lower(h.during)), lower(h.during))) as starts,
                        exists (select 1 from market_hold n where n.gpu_id = h.gpu_id and n.kind <> 'SPOT' and n.order_id <> h.order_id
                            and lower(n.during) = upper(h.during)) as yields
                    from market_hold h join market_order o on o.id = h.order_id
                    where h.gpu_id = any(?) and o.status in ('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING')
                      and (upper_inf(h.during) or upper(h.during) > ?)
                    order by h.gpu_id, lower(h.during)""")) {
                s.setArray(1, c.createArrayOf("bigint", gpuIds.toArray()));
                s.setObject(2, Jdbc.at(now));
                List<Lease> leases = new java.util.ArrayList<>();
                try (var r = s.executeQuery()) {
                    while (r.next()) {
                        OrderKind kind = OrderKind.valueOf(r.getString("kind"));
                        Instant end = Jdbc.instant(r, "hi");
                        if (kind == OrderKind.ON_DEMAND && !r.getBoolean("yields")) {
                            end = null;
                        }
                        leases.add(new Lease(r.getString("gpu_uuid"), leaseId(r.getLong("order_id"), r.getLong("gpu_id")), kind.name(),
                                Jdbc.instant(r, "starts"), end, rows.read(r.getString("workload"))));
                    }
                }
                return leases;
            }
        });
    }

    /** The lease of one GPU of one order (the node agent names its container after it). */
    static String leaseId(long orderId, long gpuId) {
        return "order-" + orderId + "-gpu-" + gpuId;
    }

    /**
     * A GPU may not leave while it backs a reservation past {@code leavesAt} that no other GPU of the
     * pool, free over the rest of that reservation's window, could take over (each GPU counted once).
     */
    @Override
    public Optional<String> reasonToStay(long poolId, long gpuId, Instant leavesAt) {
        List<Holds.Hold> backed = jdbc.list("""
                select h.order_id, h.gpu_id, h.gpu_uuid, h.kind, lower(h.during) as lo, upper(h.during) as hi
                from market_hold h join market_order o on o.id = h.order_id
                where h.gpu_id = ? and h.kind = 'RESERVED' and upper(h.during) > ?
                  and o.status in ('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING')
                order by lower(h.during)""", s -> {
            s.setLong(1, gpuId);
            s.setObject(2, Jdbc.at(leavesAt));
        }, Holds::hold);
        Set<Long> used = new HashSet<>();
        used.add(gpuId);
        for (Holds.Hold hold : backed) {
            Instant from = hold.lower().isAfter(leavesAt) ? hold.lower() : leavesAt;
            Optional<Pools.ServiceGpu> other = allocation.firmFree(poolId, from, hold.upper()).stream()
                    .filter(g -> !used.contains(g.id())).findFirst();
            if (other.isEmpty()) {
                return Optional.of("it backs reservation " + hold.orderId() + " until " + hold.upper()
                        + " and no other GPU of the pool is free to take it over");
            }
            used.add(other.get().id());
        }
        return Optional.empty();
    }
}
