package credits;

import platform.DomainException;

/**
 * How a pool splits what it earns in an epoch (DESIGN section 4): the operator's share, the share
 * spread over the pool's GPUs by online time, and the bonus spread over the GPUs that served
 * rentals by the Data Credits they consumed. The three add up to exactly 10,000 basis points.
 */
public record RewardShares(Bps operator, Bps pool, Bps usedGpu) {

    public RewardShares {
        if (operator == null || pool == null || usedGpu == null) {
            throw DomainException.invalid("reward shares need operatorBps, poolBps and usedGpuBps");
        }
        int sum = operator.value() + pool.value() + usedGpu.value();
        if (sum != Bps.WHOLE) {
            throw DomainException.invalid("the reward shares must add up to " + Bps.WHOLE + " basis points, but "
                    + operator.value() + " + " + pool.value() + " + " + usedGpu.value() + " = " + sum);
        }
    }

    public static RewardShares of(int operatorBps, int poolBps, int usedGpuBps) {
        return new RewardShares(Bps.of(operatorBps), Bps.of(poolBps), Bps.of(usedGpuBps));
    }
}
