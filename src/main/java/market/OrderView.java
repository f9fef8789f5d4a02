package market;

import java.math.BigInteger;
import java.time.Instant;

/**
 * An order as its customer sees it. {@code priceDc}: for a reservation what was paid into escrow for
 * the whole window; for spot and on-demand the rate, DC per hour for all its GPUs. {@code end} is
 * null for pay-as-you-go rentals until they end; {@code guaranteedUntil} only for on-demand;
 * {@code noticeStopsAt} once a spot rental is under notice (or preempted); {@code endpoint} ("host:port")
 * once the node agent reports its workload running (the order is RUNNING then), else null.
 *
 * <p>Metering ({@code Metering}): {@code chargedDc} and {@code chargedMinutes} are what the GPU-minutes
 * metered so far cost: for spot and on-demand the minutes the workload ran in, burned from the payer's
 * balance; for a reservation its served minutes, paid from its escrow. {@code refundedDc} and
 * {@code refundedMinutes}: a reservation's unserved GPU-minutes (its GPU was down), given back from
 * escrow to the slot's holder. {@code meteredThrough}: every minute before it is metered (null: none
 * yet). {@code lowBalanceMinutes}: for a running pay-as-you-go rental, the minutes its payer's balance
 * still covers at the rate of all the rentals it pays for, when that is under
 * {@code bc.market.low-balance-notice} (else null); at zero the rental stops, with {@code endReason}.
 */
public record OrderView(long id, OrderKind kind, OrderStatus status, long poolId, int gpus, Instant start, Instant end,
                        long priceDc, long chargedDc, BigInteger slotTokenId, Instant guaranteedUntil, Instant noticeStopsAt,
                        String endpoint, long chargedMinutes, long refundedDc, long refundedMinutes, Instant meteredThrough,
                        Long lowBalanceMinutes, String endReason) {
}
