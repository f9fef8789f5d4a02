package market;

import chain.Chain;
import chain.ChainEffect;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.List;

/**
 * Closes the time slot of every pay-as-you-go rental that ended, however it ended (stopped,
 * preempted, its guarantee ran into a reservation, out of DCs): a {@link ChainEffect.CloseSlot} at
 * its end, under the key {@code market:slot-close:<order>}, once ({@code slot_close_requested}, V59).
 * It follows the order's status rather than each code path that ends one, so a new way to end a
 * rental needs nothing here. Several replicas run it: the orders are locked {@code FOR UPDATE SKIP
 * LOCKED}, and the effect's key makes a second request change nothing anyway.
 */
@ApplicationScoped
class SlotJobs {

    /** How many slots one run closes (the next run takes the rest). */
    private static final int BATCH = 500;

    private final EntityManager em;
    private final Chain chain;

    SlotJobs(EntityManager em, Chain chain) {
        this.em = em;
        this.chain = chain;
    }

    @Scheduled(every = "${bc.market.job-interval:15s}", delayed = "12s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        closeEnded();
    }

    /** Asks for the close of each ended pay-as-you-go rental's slot not closed yet; how many it asked for. */
    @SuppressWarnings("unchecked")
    int closeEnded() {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<OrderEntity> ended = em.createNativeQuery("select * from market_order where kind <> 'RESERVED' "
                            + "and not slot_close_requested and status in ('PREEMPTED', 'STOPPED', 'ENDED', 'FAILED') "
                            + "order by id limit " + BATCH + " for update skip locked", OrderEntity.class).getResultList();
            for (OrderEntity order : ended) {
                chain.request("market:slot-close:" + order.id, new ChainEffect.CloseSlot(order.slotTokenId, closedAt(order)));
                order.slotCloseRequested = true;
            }
            return ended.size();
        });
    }

    /** When a pay-as-you-go rental ended: its end (stopped, or met a reservation), else when it stopped (preempted); never before its start. */
    static Instant closedAt(OrderEntity order) {
        Instant end = order.end != null ? order.end : order.endedAt != null ? order.endedAt : order.start;
        return end.isBefore(order.start) ? order.start : end;
    }
}
