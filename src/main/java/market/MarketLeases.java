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

    private final Holds holds;
    private final Allocation allocation;

    MarketLeases(Holds holds, Allocation allocation) {
        this.holds = holds;
        this.allocation = allocation;
    }

    /**
     * One lease per hold of an open order that has not ended: it starts at the hold's start, or where
     * a spot rental under notice still runs on the GPU then, when that notice ends; it ends at the
     * hold's end for a reservation and a spot rental (a preempted spot lease leaves the feed at
     * stopsAt), and is open-ended for an on-demand rental unless a reservation takes the GPU when its
     * guarantee ends.
     */
    @Override
    public List<Lease> leases(List<Long> gpuIds, Instant now) {
        if (gpuIds.isEmpty()) {
            return List.of();
        }
        return holds.feed(gpuIds, now).stream().map(h -> new Lease(h.gpuUuid(), leaseId(h.orderId(), h.gpuId()), h.kind().name(),
                h.starts(), h.kind() == OrderKind.ON_DEMAND && !h.yields() ? null : h.upper(), OrderEntity.workload(h.workloadJson())))
                .toList();
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
        List<Holds.Hold> backed = holds.reservationsOn(gpuId, leavesAt);
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
