package market;

import java.time.Instant;

/**
 * One GPU of a pool held by one order over [from, until) ({@code until} null: a pay-as-you-go
 * rental not ended yet), as the pool's operator sees its allocations: which order, of which kind
 * and in which status. The customer is not shown.
 */
public record PoolHold(long orderId, long gpuId, String gpuUuid, OrderKind kind, OrderStatus status, Instant from, Instant until) {
}
