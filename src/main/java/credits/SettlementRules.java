package credits;

import java.math.BigInteger;

/**
 * The rounding rules of settlement (DESIGN section 7, steps 2 and 3), one method per rule. Every
 * division rounds down (towards zero; all operands are non-negative), so nobody is ever paid more
 * than their exact share and what the floors leave over stays in the epoch's remainder.
 */
final class SettlementRules {

    private static final BigInteger WHOLE = BigInteger.valueOf(Bps.WHOLE);

    private SettlementRules() {
    }

    /** Step 2: pool p gets {@code A_p = floor(E * D_p / D)}; nothing when no DC was consumed anywhere (D = 0). */
    static TokenAmount poolAllocation(TokenAmount emission, DataCredits poolDc, DataCredits totalDc) {
        return proRata(emission, poolDc.value(), totalDc.value());
    }

    /**
     * The self-dealing guard (DESIGN 7): the most a pool that consumed {@code poolDc} may earn,
     * {@code floor(D_p * maxRewardBps * 10^21 / (10000 * priceE8))} base units. D_p DCs are worth
     * D_p * 10^-5 USD and a token (10^18 base units) is worth priceE8 * 10^-8 USD, so the cap is
     * D_p * 10^-5 * maxRewardBps / 10^4 USD divided by the price of a base unit. Rounded down, so a
     * pool never earns more than the guard allows.
     */
    static TokenAmount guardCap(DataCredits poolDc, SelfDealingGuard guard) {
        BigInteger numerator = BigInteger.valueOf(poolDc.value()).multiply(BigInteger.valueOf(guard.maxRewardBps())).multiply(TokenPrice.SCALE);
        return new TokenAmount(numerator.divide(WHOLE.multiply(BigInteger.valueOf(guard.price().priceE8()))));
    }

    /** Step 3: the operator NFT's holder gets {@code floor(A_p * operatorBps / 10000)}. */
    static TokenAmount operatorReward(TokenAmount allocation, Bps operatorBps) {
        return basisPoints(allocation, operatorBps);
    }

    /** Step 3: what the pool's GPUs share by online time, {@code floor(A_p * poolBps / 10000)}. */
    static TokenAmount poolShareBudget(TokenAmount allocation, Bps poolBps) {
        return basisPoints(allocation, poolBps);
    }

    /**
     * Step 3: GPU g's pool share, {@code floor(poolShareBudget * w_g / W_p)} with w_g its online
     * seconds and W_p those of all GPUs in the pool. A GPU that was never online gets nothing; when no
     * GPU of the pool was online ({@code W_p = 0}) nobody gets the budget and it stays in the remainder.
     */
    static TokenAmount gpuPoolShare(TokenAmount poolShareBudget, long onlineSeconds, long poolOnlineSeconds) {
        return proRata(poolShareBudget, onlineSeconds, poolOnlineSeconds);
    }

    /** Step 3: what the GPUs that served rentals share by DC consumed, {@code floor(A_p * usedGpuBps / 10000)}. */
    static TokenAmount usedBonusBudget(TokenAmount allocation, Bps usedGpuBps) {
        return basisPoints(allocation, usedGpuBps);
    }

    /**
     * Step 3: GPU g's used-GPU bonus, {@code floor(usedBonusBudget * d_g / D_p)} with d_g the DCs it
     * consumed. A pool that consumed nothing was allocated nothing, so its GPUs get no bonus.
     */
    static TokenAmount gpuUsedBonus(TokenAmount usedBonusBudget, DataCredits gpuDc, DataCredits poolDc) {
        return proRata(usedBonusBudget, gpuDc.value(), poolDc.value());
    }

    /** {@code floor(amount * bps / 10000)}. */
    private static TokenAmount basisPoints(TokenAmount amount, Bps bps) {
        return new TokenAmount(amount.value().multiply(BigInteger.valueOf(bps.value())).divide(WHOLE));
    }

    /** {@code floor(amount * part / whole)}, and zero when the whole is zero. */
    private static TokenAmount proRata(TokenAmount amount, long part, long whole) {
        if (whole == 0 || part == 0) {
            return TokenAmount.ZERO;
        }
        if (part > whole) {
            throw new IllegalArgumentException("a part (" + part + ") cannot exceed its whole (" + whole + ")");
        }
        return new TokenAmount(amount.value().multiply(BigInteger.valueOf(part)).divide(BigInteger.valueOf(whole)));
    }
}
