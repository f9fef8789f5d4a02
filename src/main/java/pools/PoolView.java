package pools;

import java.time.Duration;
import java.time.Instant;

/** A pool as anyone may see it: the terms in force now, and those announced for later. */
public record PoolView(long id, String name, OperatorView operator, PoolMode mode, String modelId, String modelName,
                       String region, Prices prices, RewardShares shares, PendingShares pendingShares,
                       Duration noticePeriod, MemberPolicy policy, Size size, Reputation reputation, PendingTerms pendingTerms) {

    /**
     * An announced longer notice period and/or stricter member policy (either may be null: not
     * changed) and the epoch (and instant) from which they apply; until then the ones in force hold.
     */
    public record PendingTerms(Duration noticePeriod, MemberPolicy policy, long fromEpoch, Instant from) {
    }

    /** Announced shares and the epoch (and instant) from which they apply. */
    public record PendingShares(RewardShares shares, long fromEpoch, Instant from) {
    }

    /** How many GPUs the pool has: registered at all, in service (their NFT exists), and active now. */
    public record Size(int registered, int inService, int active) {
    }
}
