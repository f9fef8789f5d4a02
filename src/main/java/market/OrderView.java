package market;

import java.math.BigInteger;
import java.time.Instant;

/**
 * An order as its customer sees it. {@code priceDc}: for a reservation what was paid into escrow for
 * the whole window; for spot and on-demand the rate, DC per hour for all its GPUs. {@code end} is
 * null for pay-as-you-go rentals until they end; {@code guaranteedUntil} only for on-demand;
 * {@code noticeStopsAt} once a spot rental is under notice (or preempted); {@code endpoint} ("host:port")
 * once the node agent reports its workload running (the order is RUNNING then), else null.
 */
public record OrderView(long id, OrderKind kind, OrderStatus status, long poolId, int gpus, Instant start, Instant end,
                        long priceDc, long chargedDc, BigInteger slotTokenId, Instant guaranteedUntil, Instant noticeStopsAt,
                        String endpoint) {
}
