package market;

import credits.Credits;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import pools.GpuStatus;
import pools.Pools;

/**
 * Failover of reservations (DESIGN section 6): a GPU that pools marks OFFLINE (no heartbeat for
 * {@code bc.pools.offline-after}) while it backs a running reservation hands the rest of that hold,
 * from the current minute on, to a GPU of the same pool that is ACTIVE (heartbeating) and free of
 * firm holds for the rest of the window; one without a spot rental first, else the spot rental gets
 * notice. The exclusion constraint decides a contested GPU ({@link Holds#insert}). When no GPU is
 * free, the hold stays: its minutes stay unserved, and {@link Metering} refunds each one from escrow
 * to the slot's holder. The slot names a pool and a GPU count, not GPUs, so no NFT changes; the
 * order's escrow follows the move ({@link Credits#moveEscrowGpu}), so that settlement credits the
 * minutes from then on to the GPU that serves them. Each move
 * is one transaction that locks its order ({@code FOR UPDATE SKIP LOCKED}: replicas skip each other).
 */
@ApplicationScoped
class Failover {

    private static final Logger LOG = Logger.getLogger(Failover.class);

    private final EntityManager em;
    private final Holds holds;
    private final Allocation allocation;
    private final Preemption preemption;
    private final Pools pools;
    private final Credits credits;

    Failover(EntityManager em, Holds holds, Allocation allocation, Preemption preemption, Pools pools, Credits credits) {
        this.em = em;
        this.holds = holds;
        this.allocation = allocation;
        this.preemption = preemption;
        this.pools = pools;
        this.credits = credits;
    }

    /** Moves what it can as of {@code now}; how many holds it moved. */
    int run(Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MINUTES);
        int moved = 0;
        for (long poolId : QuarkusTransaction.requiringNew().call(() -> holds.poolsReservedAt(at))) {
            List<Pools.ServiceGpu> gpus = pools.gpusInService(poolId);
            List<Long> offline = gpus.stream().filter(g -> g.status() == GpuStatus.OFFLINE).map(Pools.ServiceGpu::id).toList();
            if (offline.isEmpty()) {
                continue;
            }
            for (Holds.Hold hold : QuarkusTransaction.requiringNew().call(() -> holds.reservedAt(offline, at))) {
                try {
                    if (QuarkusTransaction.requiringNew().call(() -> move(poolId, hold, at, now))) {
                        moved++;
                    }
                } catch (RuntimeException e) { // a GPU taken meanwhile in a way the insert could not skip: the next run tries again
                    LOG.debugf("reservation %d not moved off GPU %d this time: %s", hold.orderId(), hold.gpuId(), e.getMessage());
                }
            }
        }
        return moved;
    }

    /** Moves the rest of one hold from {@code at} to a healthy free GPU of the pool; false when none is free (or another replica has the order). */
    private boolean move(long poolId, Holds.Hold hold, Instant at, Instant now) {
        if (em.createNativeQuery("select id from market_order where id = :id and status in " + Holds.OPEN + " for update skip locked")
                .setParameter("id", hold.orderId()).getResultList().isEmpty()) {
            return false;
        }
        Map<Long, Pools.ServiceGpu> healthy = allocation.firmFree(poolId, at, hold.upper()).stream()
                .filter(g -> g.status() == GpuStatus.ACTIVE).collect(Collectors.toMap(Pools.ServiceGpu::id, Function.identity()));
        if (healthy.isEmpty()) {
            return false;
        }
        Set<Long> spot = holds.busy(poolId, false, at, hold.upper());
        List<Holds.Slot> slots = healthy.values().stream()
                .sorted(Comparator.comparing((Pools.ServiceGpu g) -> spot.contains(g.id())).thenComparingLong(Pools.ServiceGpu::id))
                .map(g -> new Holds.Slot(g.id(), g.uuid(), at, hold.upper())).toList();
        List<Long> taken = holds.insert(hold.orderId(), poolId, OrderKind.RESERVED, slots, 1);
        if (taken.isEmpty()) {
            return false;
        }
        if (!holds.cutAt(hold.orderId(), hold.gpuId(), at)) { // moved by another run meanwhile: undo this one
            throw new IllegalStateException("the hold of order " + hold.orderId() + " on GPU " + hold.gpuId() + " is gone");
        }
        if (!credits.moveEscrowGpu(Orders.escrowId(hold.orderId()), hold.gpuId(), taken.get(0), at)) {
            LOG.warnf("reservation %d: its escrow did not follow GPU %d to GPU %d; settlement credits the rest to GPU %d",
                    hold.orderId(), hold.gpuId(), taken.get(0), hold.gpuId());
        }
        preemption.noticeFor(taken, at, hold.upper(), now);
        LOG.infof("reservation %d: GPU %d is offline; GPU %d serves it from %s", hold.orderId(), hold.gpuId(), taken.get(0), at);
        return true;
    }
}
