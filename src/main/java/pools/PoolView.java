package pools;

import java.time.Duration;
import java.time.Instant;

/** A pool as anyone may see it. */
public record PoolView(long id, String name, OperatorView operator, PoolMode mode, String modelId, String modelName,
                       String region, Prices prices, RewardShares shares, PendingShares pendingShares,
                       Duration noticePeriod, MemberPolicy policy, Size size, Reputation reputation) {

    /** Announced shares and the epoch (and instant) from which they apply. */
    public record PendingShares(RewardShares shares, long fromEpoch, Instant from) {
    }

    /** How many GPUs the pool has: registered at all, in service (their NFT exists), and active now. */
    public record Size(int registered, int inService, int active) {
    }
}
