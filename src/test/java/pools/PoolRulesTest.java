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
}
