package credits;

import accounts.WalletAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settlement engine: DESIGN section 7, steps 2 to 4, on a {@link Scenario}. Pure and
 * deterministic: no database, no clock, no state; the same scenario always gives the same result,
 * whatever the order of its pools and GPUs. The simulator ({@code POST /api/epochs/simulate}) and
 * the real settlement of an epoch both run it.
 *
 * <p>Each pool gets {@code A_p = floor(E * D_p / D)}; inside the pool the operator, the GPUs by
 * online time and the GPUs by DC consumed get their basis-point shares of A_p, each rounded down
 * (see {@link SettlementRules}). GPU rewards go to the holder of the GPU's NFT; payouts add up
 * what each holder receives across roles and pools. With the self-dealing guard, A_p is first cut to
 * the guard's cap ({@link SettlementRules#guardCap}). What the floors and the cap leave over is the remainder.
 */
public final class Settlement {

    private static final Comparator<String> BY_ID = Comparator.naturalOrder();

    private Settlement() {
    }

    public static SettlementResult settle(Scenario scenario) {
        TokenAmount emission = scenario.emission();
        DataCredits totalDc = scenario.totalDataCredits();
        List<SettlementResult.PoolResult> pools = new ArrayList<>(scenario.pools().size());
        List<SettlementResult.GpuResult> gpus = new ArrayList<>();
        Map<WalletAddress, BigInteger> byHolder = new HashMap<>();

        for (Scenario.Pool pool : scenario.pools()) {
            DataCredits poolDc = pool.dataCredits();
            long poolOnlineSeconds = pool.onlineSeconds();
            RewardShares shares = pool.shares();

            TokenAmount share = SettlementRules.poolAllocation(emission, poolDc, totalDc);
            TokenAmount allocation = scenario.guard().map(guard -> SettlementRules.guardCap(poolDc, guard))
                    .filter(cap -> cap.value().compareTo(share.value()) < 0).orElse(share);
            TokenAmount capped = share.minus(allocation);
            TokenAmount operator = SettlementRules.operatorReward(allocation, shares.operator());
            TokenAmount poolShareBudget = SettlementRules.poolShareBudget(allocation, shares.pool());
            TokenAmount usedBonusBudget = SettlementRules.usedBonusBudget(allocation, shares.usedGpu());

            BigInteger paidInPool = operator.value();
            credit(byHolder, pool.operatorHolder(), operator);
            for (Scenario.Gpu gpu : pool.gpus()) {
                TokenAmount poolShare = SettlementRules.gpuPoolShare(poolShareBudget, gpu.onlineSeconds(), poolOnlineSeconds);
                TokenAmount usedBonus = SettlementRules.gpuUsedBonus(usedBonusBudget, gpu.dcConsumed(), poolDc);
                SettlementResult.GpuResult result = new SettlementResult.GpuResult(gpu.id(), pool.id(), gpu.holder(), poolShare, usedBonus);
                gpus.add(result);
                TokenAmount total = result.total();
                paidInPool = paidInPool.add(total.value());
                credit(byHolder, gpu.holder(), total);
            }
            TokenAmount poolRemainder = new TokenAmount(allocation.value().subtract(paidInPool));
            pools.add(new SettlementResult.PoolResult(pool.id(), pool.operatorHolder(), poolDc, allocation, capped, operator,
                    poolRemainder));
        }

        pools.sort(Comparator.comparing(SettlementResult.PoolResult::id, BY_ID));
        gpus.sort(Comparator.comparing(SettlementResult.GpuResult::id, BY_ID));
        List<SettlementResult.Payout> payouts = new ArrayList<>(byHolder.size());
        BigInteger minted = BigInteger.ZERO;
        for (Map.Entry<WalletAddress, BigInteger> entry : byHolder.entrySet()) {
            payouts.add(new SettlementResult.Payout(entry.getKey(), new TokenAmount(entry.getValue())));
            minted = minted.add(entry.getValue());
        }
        payouts.sort(Comparator.comparing(p -> p.holder().value(), BY_ID));
        TokenAmount mintedAmount = new TokenAmount(minted);
        return new SettlementResult(totalDc, emission, mintedAmount, emission.minus(mintedAmount), pools, gpus, payouts);
    }

    /** Adds to what a holder receives; holders are wallet addresses, kept in lowercase, so case never splits one. */
    private static void credit(Map<WalletAddress, BigInteger> byHolder, WalletAddress holder, TokenAmount amount) {
        if (!amount.isZero()) {
            byHolder.merge(holder, amount.value(), BigInteger::add);
        }
    }
}
