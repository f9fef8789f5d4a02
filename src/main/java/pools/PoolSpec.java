package pools;

import java.time.Duration;

/** What an operator says about a pool when creating or editing it (already parsed into domain values). */
public record PoolSpec(long operatorId, String name, PoolMode mode, String modelId, String region, Prices prices,
                       RewardShares shares, Duration noticePeriod, MemberPolicy policy) {
}
