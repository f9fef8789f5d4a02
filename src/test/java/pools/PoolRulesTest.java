package pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The pools module's rules that need no database. */
class PoolRulesTest {

    @Test
    void sharesMustAddUpToTenThousandBasisPointsAndNotBeNegative() {
        assertThat(new RewardShares(1000, 6000, 3000).poolBps()).isEqualTo(6000);
        assertThatThrownBy(() -> new RewardShares(1000, 6000, 2999))
                .isInstanceOf(DomainException.class).hasMessageContaining("add up to 10,000").hasMessageContaining("9,999");
        assertThatThrownBy(() -> new RewardShares(-1, 6001, 4000)).hasMessageContaining("negative");
    }

    @Test
    void usdPricesBecomeWholeDataCreditsExactly() {
        assertThat(Usd.toDataCredits("p", "2.00")).isEqualTo(200_000);
        assertThat(Usd.toDataCredits("p", "0.00001")).isEqualTo(1);
        assertThat(Usd.toDataCredits("p", "0")).isZero();
        assertThat(Usd.fromDataCredits(200_000)).isEqualTo("2.00");
        assertThat(Usd.fromDataCredits(123_456)).isEqualTo("1.23456");
        assertThatThrownBy(() -> Usd.toDataCredits("spot", "-1")).hasMessageContaining("below zero");
        assertThatThrownBy(() -> Usd.toDataCredits("spot", "0.000001")).hasMessageContaining("0.00001");
        assertThatThrownBy(() -> Usd.toDataCredits("spot", "two")).hasMessageContaining("spot");
    }

    @Test
    void reservedTermsAreSortedAndUnique() {
        Prices prices = new Prices(1, 2, List.of(new Prices.ReservedPrice(365, 5), new Prices.ReservedPrice(7, 9)));
        assertThat(prices.reserved()).extracting(Prices.ReservedPrice::termDays).containsExactly(7, 365);
        assertThatThrownBy(() -> new Prices(1, 2, List.of(new Prices.ReservedPrice(7, 5), new Prices.ReservedPrice(7, 9))))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> new Prices(1, 2, List.of(new Prices.ReservedPrice(0, 5)))).hasMessageContaining("one day");
    }

    @Test
    void aShareChangeIsPendingUntilItsEpochAndThenApplies() {
        PoolEntity pool = new PoolEntity();
        pool.operatorBps = 1000;
        pool.poolBps = 6000;
        pool.usedGpuBps = 3000;
        pool.announceShares(new RewardShares(2000, 5000, 3000), 12);

        assertThat(pool.shares()).isEqualTo(new RewardShares(1000, 6000, 3000));
        assertThat(pool.sharesIn(11)).isEqualTo(new RewardShares(1000, 6000, 3000));
        assertThat(pool.sharesIn(12)).isEqualTo(new RewardShares(2000, 5000, 3000));
        assertThat(pool.applyDueShares(11)).isFalse();
        assertThat(pool.applyDueShares(12)).isTrue();
        assertThat(pool.shares()).isEqualTo(new RewardShares(2000, 5000, 3000));
        assertThat(pool.pendingFromEpoch).isNull();
    }

    @Test
    void announcingTheSharesInForceCancelsAPendingChange() {
        PoolEntity pool = new PoolEntity();
        pool.operatorBps = 1000;
        pool.poolBps = 6000;
        pool.usedGpuBps = 3000;
        pool.announceShares(new RewardShares(2000, 5000, 3000), 12);
        pool.announceShares(new RewardShares(1000, 6000, 3000), 13);
        assertThat(pool.pendingFromEpoch).isNull();
    }

    @Test
    void theGpuLifecycleAllowsOnlyItsOwnSteps() {
        assertThat(GpuStatus.REGISTERED.canBecome(GpuStatus.CERTIFIED)).isTrue();
        assertThat(GpuStatus.REGISTERED.canBecome(GpuStatus.MINTED)).as("no NFT without a certificate").isFalse();
        assertThat(GpuStatus.CERTIFIED.canBecome(GpuStatus.MINTING)).isTrue();
        assertThat(GpuStatus.MINTED.canBecome(GpuStatus.ACTIVE)).isTrue();
        assertThat(GpuStatus.ACTIVE.canBecome(GpuStatus.RETIRED)).as("a GPU in service leaves through its notice period").isFalse();
        assertThat(GpuStatus.LEAVING.canBecome(GpuStatus.RETIRED)).isTrue();
        assertThat(GpuStatus.RETIRED.canBecome(GpuStatus.ACTIVE)).isFalse();

        GpuEntity gpu = new GpuEntity();
        gpu.id = 1L;
        gpu.status = GpuStatus.RETIRED;
        assertThatThrownBy(() -> gpu.moveTo(GpuStatus.ACTIVE, java.time.Instant.EPOCH, "x"))
                .isInstanceOf(DomainException.class).hasMessageContaining("retired and cannot become active");
    }

    @Test
    void aMemberPolicyHasSensibleBounds() {
        assertThatThrownBy(() -> new MemberPolicy(10_001, Duration.ofHours(24), 3, Duration.ofHours(24))).hasMessageContaining("100");
        assertThatThrownBy(() -> new MemberPolicy(9_500, Duration.ofMinutes(10), 3, Duration.ofHours(24))).hasMessageContaining("hour");
        assertThatThrownBy(() -> new MemberPolicy(9_500, Duration.ofHours(24), -1, Duration.ofHours(24))).hasMessageContaining("negative");
    }

    @Test
    void aMillionDigitPriceOrPercentageIsRefusedAtOnceNamingTheField() {
        String huge = "1".repeat(1_000_000);
        String tiny = "0." + "0".repeat(999_998) + "1";
        long start = System.nanoTime();
        assertThatThrownBy(() -> Usd.toDataCredits("prices.spotUsdPerHour", huge))
                .isInstanceOf(DomainException.class).hasMessageContaining("prices.spotUsdPerHour").hasMessageContaining("1,000,000 characters");
        assertThatThrownBy(() -> Usd.toDataCredits("prices.spotUsdPerHour", tiny)).hasMessageContaining("prices.spotUsdPerHour");
        assertThatThrownBy(() -> Usd.toDataCredits("prices.spotUsdPerHour", "1e999999999")).hasMessageContaining("prices.spotUsdPerHour");
        assertThatThrownBy(() -> Percent.toBps("policy.minUptimePercent", huge)).hasMessageContaining("policy.minUptimePercent");
        assertThatThrownBy(() -> Percent.toBps("policy.minUptimePercent", tiny)).hasMessageContaining("policy.minUptimePercent");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("no work in proportion to the digits").isLessThan(Duration.ofMillis(200));
    }

    @Test
    void usdAmountsHaveAtMostSevenDigitsBeforeThePointAndFiveAfter() {
        assertThat(Usd.toDataCredits("p", "9999999.99999")).isEqualTo(999_999_999_999L);
        assertThat(Usd.toDataCredits("p", " 2.5 ")).isEqualTo(250_000);
        assertThat(Usd.toDataCredits("p", "3.")).isEqualTo(300_000);
        assertThatThrownBy(() -> Usd.toDataCredits("p", "10000000")).hasMessageContaining("at most 7 digits");
        assertThatThrownBy(() -> Usd.toDataCredits("p", "1.123456")).hasMessageContaining("0.00001");
        assertThatThrownBy(() -> Usd.toDataCredits("p", "+1")).hasMessageContaining("p:");
        assertThatThrownBy(() -> Usd.toDataCredits("p", ".5")).hasMessageContaining("p:");
        assertThatThrownBy(() -> Usd.toDataCredits("p", null)).hasMessageContaining("p:");
    }

    @Test
    void percentagesHaveAtMostThreeDigitsAndTwoDecimalsUpToAHundred() {
        assertThat(Percent.toBps("f", "95")).isEqualTo(9_500);
        assertThat(Percent.toBps("f", "99.5")).isEqualTo(9_950);
        assertThat(Percent.toBps("f", "0.01")).isEqualTo(1);
        assertThat(Percent.toBps("f", "100.00")).isEqualTo(10_000);
        assertThatThrownBy(() -> Percent.toBps("f", "100.01")).hasMessageContaining("between 0 and 100");
        assertThatThrownBy(() -> Percent.toBps("f", "99.555")).hasMessageContaining("at most 2 decimals");
        assertThatThrownBy(() -> Percent.toBps("f", "-1")).hasMessageContaining("f:");
        assertThatThrownBy(() -> Percent.toBps("f", "1e2")).hasMessageContaining("f:");
    }

    @Test
    void sharesThatOverflowAnIntAreRefusedNotAddedUp() {
        // 2 × (2^31 − 1) + 10,002 wraps around to 10,000 in int arithmetic
        assertThatThrownBy(() -> new RewardShares(Integer.MAX_VALUE, Integer.MAX_VALUE, 10_002))
                .isInstanceOf(DomainException.class).hasMessageContaining("0 to 10,000");
    }

    private static PoolEntity poolWithTerms() {
        PoolEntity pool = new PoolEntity();
        pool.noticePeriodSeconds = Duration.ofHours(72).toSeconds();
        pool.setPolicy(new MemberPolicy(9_500, Duration.ofHours(24), 3, Duration.ofHours(24)));
        return pool;
    }

    @Test
    void aLongerNoticePeriodIsPendingUntilItsEpochAndAShorterOneAppliesAtOnce() {
        PoolEntity pool = poolWithTerms();
        pool.changeNoticePeriod(Duration.ofHours(1000), 12);
        assertThat(pool.noticePeriodIn(11)).as("the announced notice does not bind before its epoch").isEqualTo(Duration.ofHours(72));
        assertThat(pool.noticePeriodIn(12)).isEqualTo(Duration.ofHours(1000));
        assertThat(pool.pendingTermsFromEpoch).isEqualTo(12);

        pool.changeNoticePeriod(Duration.ofHours(1000), 14);
        assertThat(pool.pendingTermsFromEpoch).as("announcing the same again keeps its epoch").isEqualTo(12);

        assertThat(pool.applyDueTerms(11)).isFalse();
        assertThat(pool.applyDueTerms(12)).isTrue();
        assertThat(pool.noticePeriodSeconds).isEqualTo(Duration.ofHours(1000).toSeconds());
        assertThat(pool.pendingTermsFromEpoch).isNull();

        pool.changeNoticePeriod(Duration.ofHours(2000), 20);
        pool.changeNoticePeriod(Duration.ofHours(24), 21);
        assertThat(pool.noticePeriodIn(0)).as("a shorter notice only helps members: at once").isEqualTo(Duration.ofHours(24));
        assertThat(pool.pendingNoticePeriod()).as("and it cancels the announced longer one").isNull();
        assertThat(pool.pendingTermsFromEpoch).isNull();
    }

    @Test
    void aStricterPolicyIsPendingAndALooserOneAppliesAtOnce() {
        PoolEntity pool = poolWithTerms();
        MemberPolicy stricter = new MemberPolicy(9_900, Duration.ofHours(24), 3, Duration.ofHours(24));
        pool.changePolicy(stricter, 12);
        assertThat(pool.policyIn(11).minUptimeBps()).isEqualTo(9_500);
        assertThat(pool.policyIn(12)).isEqualTo(stricter);
        assertThat(pool.policy().minUptimeBps()).as("what the policy job reads until the change applies").isEqualTo(9_500);

        MemberPolicy looser = new MemberPolicy(9_000, Duration.ofHours(24), 5, Duration.ofHours(48));
        pool.changePolicy(looser, 13);
        assertThat(pool.policy()).isEqualTo(looser);
        assertThat(pool.pendingPolicy()).isNull();
        assertThat(pool.pendingTermsFromEpoch).isNull();

        assertThat(new MemberPolicy(9_000, Duration.ofHours(48), 5, Duration.ofHours(48)).noStricterThan(looser))
                .as("another window measures something else: announced").isFalse();
        assertThat(new MemberPolicy(9_000, Duration.ofHours(24), 4, Duration.ofHours(48)).noStricterThan(looser)).isFalse();
        assertThat(new MemberPolicy(9_000, Duration.ofHours(24), 5, Duration.ofHours(47)).noStricterThan(looser)).isFalse();
        assertThat(looser.noStricterThan(looser)).isTrue();
        assertThatThrownBy(() -> new MemberPolicy(9_500, Duration.ofHours(24), 10_001, Duration.ofHours(24))).hasMessageContaining("10,000");
    }

    @Test
    void aRetriedMintHasANewOutboxKey() {
        GpuEntity gpu = new GpuEntity();
        gpu.id = 42L;
        assertThat(gpu.mintKey()).isEqualTo("gpu-nft:42");
        gpu.mintAttempt = 2;
        assertThat(gpu.mintKey()).isEqualTo("gpu-nft:42-retry-2");
        assertThat(gpu.burnKey()).isEqualTo("gpu-nft-burn:42");
    }
}
