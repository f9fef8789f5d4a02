package credits;

import accounts.WalletAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import platform.DomainException;

/**
 * What one epoch's settlement is computed from (DESIGN section 7, steps 2 to 4): the emission to
 * distribute and, per pool, its reward shares, its operator NFT's holder and its GPUs with their
 * holders, online seconds and Data Credits consumed in the epoch. The simulator makes one up; the
 * real settlement reads one from the ledger and the pools. A scenario is valid once constructed:
 * pool ids are unique, GPU ids are unique across all pools, and the totals fit in a {@code long}.
 * With a {@link SelfDealingGuard}, each pool's allocation is capped by it; without one, it is not.
 */
public record Scenario(TokenAmount emission, List<Pool> pools, Optional<SelfDealingGuard> guard) {

    /** A scenario settled without the self-dealing guard. */
    public Scenario(TokenAmount emission, List<Pool> pools) {
        this(emission, pools, Optional.empty());
    }

    public Scenario {
        if (guard == null) {
            guard = Optional.empty();
        }
        if (emission == null) {
            throw DomainException.invalid("emission is missing");
        }
        if (pools == null) {
            throw DomainException.invalid("pools are missing (give an empty list for a network without pools)");
        }
        pools = List.copyOf(pools);
        Set<String> poolIds = new HashSet<>();
        Set<String> gpuIds = new HashSet<>();
        long totalDc = 0;
        for (Pool pool : pools) {
            if (!poolIds.add(pool.id())) {
                throw DomainException.invalid("the pool id " + pool.id() + " appears more than once; pool ids must be unique");
            }
            for (Gpu gpu : pool.gpus()) {
                if (!gpuIds.add(gpu.id())) {
                    throw DomainException.invalid("the GPU id " + gpu.id() + " appears more than once (in pool " + pool.id()
                            + "); GPU ids must be unique across all pools");
                }
            }
            try {
                totalDc = Math.addExact(totalDc, pool.dataCredits().value());
            } catch (ArithmeticException e) {
                throw DomainException.invalid("the Data Credits consumed in all pools add up to more than " + Long.MAX_VALUE);
            }
        }
    }

    /** All Data Credits consumed in the epoch, D in DESIGN section 7. */
    public DataCredits totalDataCredits() {
        DataCredits total = DataCredits.ZERO;
        for (Pool pool : pools) {
            total = total.plus(pool.dataCredits());
        }
        return total;
    }

    /** A pool as settlement sees it. */
    public record Pool(String id, RewardShares shares, WalletAddress operatorHolder, List<Gpu> gpus) {

        public Pool {
            requireId(id, "a pool");
            if (shares == null) {
                throw DomainException.invalid("pool " + id + ": the reward shares are missing");
            }
            if (operatorHolder == null) {
                throw DomainException.invalid("pool " + id + ": the holder of the operator NFT is missing");
            }
            if (gpus == null) {
                throw DomainException.invalid("pool " + id + ": the GPUs are missing (give an empty list for a pool without GPUs)");
            }
            gpus = List.copyOf(gpus);
            long dc = 0;
            long seconds = 0;
            for (Gpu gpu : gpus) {
                try {
                    dc = Math.addExact(dc, gpu.dcConsumed().value());
                } catch (ArithmeticException e) {
                    throw DomainException.invalid("pool " + id + ": the Data Credits its GPUs consumed add up to more than " + Long.MAX_VALUE);
                }
                try {
                    seconds = Math.addExact(seconds, gpu.onlineSeconds());
                } catch (ArithmeticException e) {
                    throw DomainException.invalid("pool " + id + ": the online seconds of its GPUs add up to more than " + Long.MAX_VALUE);
                }
            }
        }

        /** The Data Credits consumed in this pool, D_p. */
        public DataCredits dataCredits() {
            DataCredits total = DataCredits.ZERO;
            for (Gpu gpu : gpus) {
                total = total.plus(gpu.dcConsumed());
            }
            return total;
        }

        /** The online seconds of all its GPUs, W_p. */
        public long onlineSeconds() {
            long total = 0;
            for (Gpu gpu : gpus) {
                total = Math.addExact(total, gpu.onlineSeconds());
            }
            return total;
        }
    }

    /** A GPU in a pool: who holds its NFT at the end of the epoch, how long it was online, what it served. */
    public record Gpu(String id, WalletAddress holder, long onlineSeconds, DataCredits dcConsumed) {

        public Gpu {
            requireId(id, "a GPU");
            if (holder == null) {
                throw DomainException.invalid("GPU " + id + ": the holder of its NFT is missing");
            }
            if (onlineSeconds < 0) {
                throw DomainException.invalid("GPU " + id + ": online seconds must not be negative, not " + onlineSeconds);
            }
            if (dcConsumed == null) {
                throw DomainException.invalid("GPU " + id + ": the Data Credits it consumed are missing");
            }
        }
    }

    private static void requireId(String id, String what) {
        if (id == null || id.isBlank()) {
            throw DomainException.invalid(what + " has no id");
        }
    }
}
