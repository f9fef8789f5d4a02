package pools;

import platform.DomainException;

/** How a pool's allocation of an epoch's emission is split, in basis points that add up to 10,000. */
public record RewardShares(int operatorBps, int poolBps, int usedGpuBps) {

    public static final int TOTAL = 10_000;

    public RewardShares {
        if (operatorBps < 0 || poolBps < 0 || usedGpuBps < 0) {
            throw DomainException.invalid("shares: basis points cannot be negative");
        }
        if (operatorBps > TOTAL || poolBps > TOTAL || usedGpuBps > TOTAL) {
            throw DomainException.invalid("shares: each share is 0 to 10,000 basis points");
        }
        int sum = operatorBps + poolBps + usedGpuBps;
        if (sum != TOTAL) {
            throw DomainException.invalid("shares: operator, pool and used-GPU shares must add up to 10,000 basis points, not "
                    + String.format("%,d", sum));
        }
    }
}
