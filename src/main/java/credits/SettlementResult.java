package credits;

import accounts.WalletAddress;
import java.math.BigInteger;
import java.util.List;

/**
 * The outcome of settling one epoch: what each pool, operator and GPU earned, what each holder is
 * paid, and what the roundings left over. Value is conserved by construction: {@code minted} is
 * the sum of the payouts and {@code minted + remainder = emission}. Lists are sorted by id or holder.
 *
 * @param totalDc   all Data Credits consumed in the epoch (D)
 * @param emission  the tokens there were to distribute (E)
 * @param minted    what is paid out, the sum of {@code payouts}
 * @param remainder what the roundings left over, plus the pool shares of pools with no GPU online;
 *                  and what the self-dealing guard cut; the whole emission when {@code totalDc} is zero. It is reported, not minted.
 */
public record SettlementResult(DataCredits totalDc, TokenAmount emission, TokenAmount minted, TokenAmount remainder,
                               List<PoolResult> pools, List<GpuResult> gpus, List<Payout> payouts) {

    public SettlementResult {
        pools = List.copyOf(pools);
        gpus = List.copyOf(gpus);
        payouts = List.copyOf(payouts);
        BigInteger paid = BigInteger.ZERO;
        for (Payout payout : payouts) {
            paid = paid.add(payout.amount().value());
        }
        if (!paid.equals(minted.value()) || !minted.plus(remainder).equals(emission)) {
            throw new IllegalStateException("a settlement must conserve value: payouts " + paid + ", minted " + minted
                    + ", remainder " + remainder + ", emission " + emission);
        }
    }

    /**
     * One pool's part.
     *
     * @param dc         the Data Credits consumed in the pool (D_p)
     * @param allocation what the pool earned, A_p after the self-dealing guard's cap
     * @param capped     what the guard cut from the pool's pro-rata share (zero without the guard);
     *                   it stays in the epoch's remainder
     * @param operator   what the holder of the operator NFT gets
     * @param remainder  what the roundings in this pool left over, plus its pool share when none of
     *                   its GPUs was online
     */
    public record PoolResult(String id, WalletAddress operatorHolder, DataCredits dc, TokenAmount allocation,
                             TokenAmount capped, TokenAmount operator, TokenAmount remainder) {
    }

    /** One GPU's rewards: its share of the pool by online time and its bonus for the DCs it served. */
    public record GpuResult(String id, String pool, WalletAddress holder, TokenAmount poolShare, TokenAmount usedBonus) {

        public TokenAmount total() {
            return poolShare.plus(usedBonus);
        }
    }

    /** Everything one holder receives in the epoch, as operator and as GPU owner, across pools. */
    public record Payout(WalletAddress holder, TokenAmount amount) {

        public Payout {
            if (amount.isZero()) {
                throw new IllegalArgumentException("a payout of nothing to " + holder + " is not a payout");
            }
        }
    }
}
