package credits;

import platform.DomainException;

/**
 * The self-dealing guard of DESIGN section 7 (Helium's HIP-10 lesson): in an epoch, a pool's
 * rewards are worth at most {@code maxRewardBps} / 10,000 of the US dollar value of the Data
 * Credits it consumed, valued at {@code price}; what the cap cuts stays in the epoch's remainder.
 * So renting one's own GPUs (burning tokens for DCs and consuming them in one's own pool) never
 * earns more than it cost. {@code maxRewardBps} is 1 to {@link #MAX_REWARD_BPS} (100 times the value).
 */
public record SelfDealingGuard(TokenPrice price, long maxRewardBps) {

    /** A cap of 100 times the DCs' value: beyond it the guard guards nothing. */
    public static final long MAX_REWARD_BPS = 1_000_000;

    public SelfDealingGuard {
        if (price == null) {
            throw DomainException.invalid("the guard's token price is missing");
        }
        if (maxRewardBps < 1 || maxRewardBps > MAX_REWARD_BPS) {
            throw DomainException.invalid("maxRewardBps must be between 1 and " + MAX_REWARD_BPS + " basis points, not " + maxRewardBps);
        }
    }
}
