package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** One test per rounding rule of DESIGN section 7: each rounds down, and zero wholes give zero. */
class SettlementRulesTest {

    @Test
    void poolAllocationIsTheEmissionProRataToDataCreditsRoundedDown() {
        assertThat(SettlementRules.poolAllocation(TokenAmount.of(999), DataCredits.of(3_000_000), DataCredits.of(4_000_000)))
                .isEqualTo(TokenAmount.of(749)); // 749.25
        assertThat(SettlementRules.poolAllocation(TokenAmount.of(999), DataCredits.of(1_000_000), DataCredits.of(4_000_000)))
                .isEqualTo(TokenAmount.of(249)); // 249.75
        assertThat(SettlementRules.poolAllocation(TokenAmount.of(10), DataCredits.of(7), DataCredits.of(7)))
                .isEqualTo(TokenAmount.of(10));
    }

    @Test
    void poolAllocationIsNothingWhenNoDataCreditsWereConsumedAnywhere() {
        assertThat(SettlementRules.poolAllocation(TokenAmount.of(999), DataCredits.ZERO, DataCredits.ZERO))
                .isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void poolAllocationIsExactForEmissionsFarBeyondALong() {
        TokenAmount emission = new TokenAmount(TokenAmount.MAX);
        TokenAmount third = SettlementRules.poolAllocation(emission, DataCredits.of(1), DataCredits.of(3));
        assertThat(third.value()).isEqualTo(TokenAmount.MAX.divide(BigInteger.valueOf(3)));
    }

    @Test
    void theGuardCapIsTheValueOfTheDataCreditsConsumedInTokensAtThePrice() {
        // 5,000,000 DC are worth 50 USD; at 0.25 USD per token (priceE8 25,000,000) that is 200 tokens,
        // 200 * 10^18 base units at 100 %, 100 tokens at 5000 bps, 400 tokens at 20000 bps.
        TokenPrice quarter = TokenPrice.ofUsd("0.25");
        assertThat(SettlementRules.guardCap(DataCredits.of(5_000_000), new SelfDealingGuard(quarter, 10_000)))
                .isEqualTo(new TokenAmount(new BigInteger("200000000000000000000")));
        assertThat(SettlementRules.guardCap(DataCredits.of(5_000_000), new SelfDealingGuard(quarter, 5_000)))
                .isEqualTo(new TokenAmount(new BigInteger("100000000000000000000")));
        assertThat(SettlementRules.guardCap(DataCredits.of(5_000_000), new SelfDealingGuard(quarter, 20_000)))
                .isEqualTo(new TokenAmount(new BigInteger("400000000000000000000")));
        assertThat(SettlementRules.guardCap(DataCredits.ZERO, new SelfDealingGuard(quarter, 10_000))).isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void theGuardCapRoundsDown() {
        // 1 DC = 10^-5 USD; at 3 USD per token it buys 10^18 / 300,000 = 3,333,333,333,333.33 base units.
        assertThat(SettlementRules.guardCap(DataCredits.of(1), new SelfDealingGuard(new TokenPrice(300_000_000), 10_000)))
                .isEqualTo(new TokenAmount(new BigInteger("3333333333333")));
        // The extremes stay exact: the most DCs at the lowest price and the highest cap, Long.MAX_VALUE * 10^6 * 10^21 / 10^4.
        assertThat(SettlementRules.guardCap(DataCredits.of(Long.MAX_VALUE), new SelfDealingGuard(new TokenPrice(1), SelfDealingGuard.MAX_REWARD_BPS)))
                .isEqualTo(new TokenAmount(BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN.pow(23))));
    }

    @Test
    void aGuardOutsideItsBoundsIsRefused() {
        assertThatThrownBy(() -> new SelfDealingGuard(TokenPrice.ofUsd("1"), 0)).hasMessageContaining("between 1 and 1000000");
        assertThatThrownBy(() -> new SelfDealingGuard(TokenPrice.ofUsd("1"), SelfDealingGuard.MAX_REWARD_BPS + 1))
                .hasMessageContaining("between 1 and 1000000");
    }

    @Test
    void operatorRewardIsItsBasisPointsOfTheAllocationRoundedDown() {
        assertThat(SettlementRules.operatorReward(TokenAmount.of(749), Bps.of(1000))).isEqualTo(TokenAmount.of(74)); // 74.9
        assertThat(SettlementRules.operatorReward(TokenAmount.of(249), Bps.of(2000))).isEqualTo(TokenAmount.of(49)); // 49.8
        assertThat(SettlementRules.operatorReward(TokenAmount.of(249), Bps.of(0))).isEqualTo(TokenAmount.ZERO);
        assertThat(SettlementRules.operatorReward(TokenAmount.of(249), Bps.of(10_000))).isEqualTo(TokenAmount.of(249));
    }

    @Test
    void poolShareBudgetIsItsBasisPointsOfTheAllocationRoundedDown() {
        assertThat(SettlementRules.poolShareBudget(TokenAmount.of(749), Bps.of(6000))).isEqualTo(TokenAmount.of(449)); // 449.4
        assertThat(SettlementRules.poolShareBudget(TokenAmount.of(249), Bps.of(5000))).isEqualTo(TokenAmount.of(124)); // 124.5
    }

    @Test
    void gpuPoolShareIsTheBudgetProRataToOnlineSecondsRoundedDown() {
        assertThat(SettlementRules.gpuPoolShare(TokenAmount.of(449), 86_400, 129_600)).isEqualTo(TokenAmount.of(299)); // 299.33
        assertThat(SettlementRules.gpuPoolShare(TokenAmount.of(449), 43_200, 129_600)).isEqualTo(TokenAmount.of(149)); // 149.67
    }

    @Test
    void aGpuThatWasNeverOnlineGetsNoPoolShare() {
        assertThat(SettlementRules.gpuPoolShare(TokenAmount.of(449), 0, 129_600)).isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void noPoolShareIsPaidWhenNoGpuOfThePoolWasOnline() {
        assertThat(SettlementRules.gpuPoolShare(TokenAmount.of(449), 0, 0)).isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void usedBonusBudgetIsItsBasisPointsOfTheAllocationRoundedDown() {
        assertThat(SettlementRules.usedBonusBudget(TokenAmount.of(749), Bps.of(3000))).isEqualTo(TokenAmount.of(224)); // 224.7
        assertThat(SettlementRules.usedBonusBudget(TokenAmount.of(249), Bps.of(3000))).isEqualTo(TokenAmount.of(74)); // 74.7
    }

    @Test
    void gpuUsedBonusIsTheBudgetProRataToDataCreditsRoundedDown() {
        assertThat(SettlementRules.gpuUsedBonus(TokenAmount.of(224), DataCredits.of(3_000_000), DataCredits.of(3_000_000)))
                .isEqualTo(TokenAmount.of(224));
        assertThat(SettlementRules.gpuUsedBonus(TokenAmount.of(100), DataCredits.of(1), DataCredits.of(3)))
                .isEqualTo(TokenAmount.of(33)); // 33.33
        assertThat(SettlementRules.gpuUsedBonus(TokenAmount.of(100), DataCredits.ZERO, DataCredits.of(3)))
                .isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void aPoolThatConsumedNothingPaysNoUsedBonus() {
        assertThat(SettlementRules.gpuUsedBonus(TokenAmount.ZERO, DataCredits.ZERO, DataCredits.ZERO)).isEqualTo(TokenAmount.ZERO);
    }
}
