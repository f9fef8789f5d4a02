package pools;

import java.time.Instant;

/** An operator's membership of a distributed pool, with its uptime over the pool's policy window. */
public record MemberView(long poolId, long operatorId, String operatorName, String wallet, String status, String message,
                         Instant requestedAt, Instant warnedAt, Instant leavesAt, int gpus, int uptimeBps, int failures) {
}
