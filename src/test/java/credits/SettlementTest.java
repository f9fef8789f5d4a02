package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import accounts.WalletAddress;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The settlement engine on the examples of DESIGN section 10 and the edge cases its rules name. */
class SettlementTest {

    static final WalletAddress H01 = address("01");
    static final WalletAddress H02 = address("02");
    static final WalletAddress H03 = address("03");
    static final WalletAddress HAA = address("aa");

    /** A full 20-byte address ending in the given hex digits, as DESIGN's "…01" abbreviates. */
    static WalletAddress address(String suffix) {
        return WalletAddress.of("0x" + "0".repeat(40 - suffix.length()) + suffix);
    }

    static Scenario.Gpu gpu(String id, WalletAddress holder, long onlineSeconds, long dc) {
        return new Scenario.Gpu(id, holder, onlineSeconds, DataCredits.of(dc));
    }

    static Scenario.Pool pool(String id, int operatorBps, int poolBps, int usedGpuBps, WalletAddress operator, Scenario.Gpu... gpus) {
        return new Scenario.Pool(id, RewardShares.of(operatorBps, poolBps, usedGpuBps), operator, List.of(gpus));
    }

    /** DESIGN section 10's worked example with remainders. */
    static Scenario workedExample() {
        return new Scenario(TokenAmount.of(999), List.of(
                pool("p1", 1000, 6000, 3000, HAA,
                        gpu("g1", H01, 86_400, 3_000_000),
                        gpu("g2", H02, 43_200, 0),
                        gpu("g3", H01, 0, 0)),
                pool("p2", 2000, 5000, 3000, H01,
                        gpu("g4", H03, 86_400, 1_000_000))));
    }

    @Test
    void theWorkedExampleOfTheDesignGivesExactlyItsFigures() {
        SettlementResult result = Settlement.settle(workedExample());

        assertThat(result.totalDc()).isEqualTo(DataCredits.of(4_000_000));
        assertThat(result.pools()).extracting(p -> p.id(), p -> p.allocation().toString(), p -> p.operator().toString())
                .containsExactly(tuple("p1", "749", "74"), tuple("p2", "249", "49"));
        assertThat(result.gpus()).extracting(g -> g.id(), g -> g.poolShare().toString(), g -> g.usedBonus().toString(), g -> g.total().toString())
                .containsExactly(
                        tuple("g1", "299", "224", "523"),
                        tuple("g2", "149", "0", "149"),
                        tuple("g3", "0", "0", "0"),
                        tuple("g4", "124", "74", "198"));
        assertThat(result.payouts()).extracting(p -> p.holder(), p -> p.amount().toString())
                .containsExactly(tuple(H01, "572"), tuple(H02, "149"), tuple(H03, "198"), tuple(HAA, "74"));
        assertThat(result.minted()).isEqualTo(TokenAmount.of(993));
        assertThat(result.remainder()).isEqualTo(TokenAmount.of(6));
    }

    @Test
    void theWorkedExampleExplainsItsRemainderPoolByPool() {
        SettlementResult result = Settlement.settle(workedExample());
        // p1: 749 - 74 - 523 - 149 - 0 = 3; p2: 249 - 49 - 198 = 2; the pool allocations leave 999 - 998 = 1.
        assertThat(result.pools()).extracting(p -> p.remainder().toString()).containsExactly("3", "2");
    }

    @Test
    void theFirstExampleOfTheDesignPaysTheWholeEmissionToOnePool() {
        WalletAddress operator = address("aa");
        WalletAddress owner = address("01");
        Scenario scenario = new Scenario(new TokenAmount(new BigInteger("1000000000000000000000")), List.of(
                pool("p1", 1000, 6000, 3000, operator, gpu("g1", owner, 86_400, 5_000_000))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.totalDc()).isEqualTo(DataCredits.of(5_000_000));
        assertThat(result.pools()).extracting(p -> p.id(), p -> p.dc(), p -> p.allocation().toString(), p -> p.operator().toString())
                .containsExactly(tuple("p1", DataCredits.of(5_000_000), "1000000000000000000000", "100000000000000000000"));
        assertThat(result.gpus()).extracting(g -> g.id(), g -> g.poolShare().toString(), g -> g.usedBonus().toString(), g -> g.total().toString())
                .containsExactly(tuple("g1", "600000000000000000000", "300000000000000000000", "900000000000000000000"));
        assertThat(result.payouts()).extracting(p -> p.holder(), p -> p.amount().toString())
                .containsExactly(tuple(owner, "900000000000000000000"), tuple(operator, "100000000000000000000"));
        assertThat(result.minted().toString()).isEqualTo("1000000000000000000000");
        assertThat(result.remainder()).isEqualTo(TokenAmount.ZERO);
    }

    @Test
    void withNoDataCreditsConsumedNothingIsMintedAndTheRemainderIsTheWholeEmission() {
        Scenario scenario = new Scenario(TokenAmount.of(999), List.of(
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 86_400, 0), gpu("g2", H02, 86_400, 0))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.totalDc()).isEqualTo(DataCredits.ZERO);
        assertThat(result.minted()).isEqualTo(TokenAmount.ZERO);
        assertThat(result.remainder()).isEqualTo(TokenAmount.of(999));
        assertThat(result.payouts()).isEmpty();
        assertThat(result.pools()).extracting(p -> p.allocation()).containsExactly(TokenAmount.ZERO);
        assertThat(result.gpus()).extracting(g -> g.total()).containsExactly(TokenAmount.ZERO, TokenAmount.ZERO);
    }

    @Test
    void aNetworkWithoutPoolsMintsNothing() {
        SettlementResult result = Settlement.settle(new Scenario(TokenAmount.of(5), List.of()));
        assertThat(result.minted()).isEqualTo(TokenAmount.ZERO);
        assertThat(result.remainder()).isEqualTo(TokenAmount.of(5));
        assertThat(result.pools()).isEmpty();
    }

    @Test
    void aPoolWhoseGpusWereNeverOnlineLeavesItsPoolShareInTheRemainder() {
        // Its GPUs served rentals (DC consumed) yet were reported offline the whole epoch.
        Scenario scenario = new Scenario(TokenAmount.of(1000), List.of(
                pool("p1", 1000, 6000, 3000, HAA, gpu("g1", H01, 0, 500), gpu("g2", H02, 0, 500))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.gpus()).extracting(g -> g.poolShare()).containsOnly(TokenAmount.ZERO);
        assertThat(result.gpus()).extracting(g -> g.usedBonus()).containsOnly(TokenAmount.of(150));
        assertThat(result.minted()).isEqualTo(TokenAmount.of(100 + 150 + 150));
        assertThat(result.remainder()).isEqualTo(TokenAmount.of(600));
        assertThat(result.pools().get(0).remainder()).isEqualTo(TokenAmount.of(600));
    }

    @Test
    void aPoolThatConsumedNothingEarnsNothingEvenWithItsGpusOnline() {
        Scenario scenario = new Scenario(TokenAmount.of(1000), List.of(
                pool("busy", 0, 10_000, 0, HAA, gpu("g1", H01, 3600, 10)),
                pool("idle", 10_000, 0, 0, HAA, gpu("g2", H02, 86_400, 0))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.pools()).extracting(p -> p.id(), p -> p.allocation())
                .containsExactly(tuple("busy", TokenAmount.of(1000)), tuple("idle", TokenAmount.ZERO));
        assertThat(result.payouts()).extracting(p -> p.holder(), p -> p.amount())
                .containsExactly(tuple(H01, TokenAmount.of(1000)));
    }

    @Test
    void holdersAreComparedWithoutRegardToCaseAndPaidOnceInLowercase() {
        WalletAddress upper = WalletAddress.of("0xABCDEF0000000000000000000000000000000001");
        WalletAddress lower = WalletAddress.of("0xabcdef0000000000000000000000000000000001");
        Scenario scenario = new Scenario(TokenAmount.of(100), List.of(
                pool("p1", 5000, 5000, 0, upper, gpu("g1", lower, 10, 1))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.payouts()).singleElement().satisfies(p -> {
            assertThat(p.holder().value()).isEqualTo("0xabcdef0000000000000000000000000000000001");
            assertThat(p.amount()).isEqualTo(TokenAmount.of(100));
        });
    }

    @Test
    void listsAreSortedByIdAndHolderWhateverTheInputOrder() {
        Scenario scenario = new Scenario(TokenAmount.of(1_000_000), List.of(
                pool("zeta", 1000, 6000, 3000, address("ff"), gpu("x9", address("09"), 5, 5), gpu("a1", address("0a"), 5, 5)),
                pool("alpha", 1000, 6000, 3000, address("05"), gpu("m3", address("01"), 5, 5))));

        SettlementResult result = Settlement.settle(scenario);

        assertThat(result.pools()).extracting(SettlementResult.PoolResult::id).containsExactly("alpha", "zeta");
        assertThat(result.gpus()).extracting(SettlementResult.GpuResult::id).containsExactly("a1", "m3", "x9");
        assertThat(result.payouts()).extracting(p -> p.holder().value()).isSorted();
    }

    @Test
    void sharesThatDoNotAddUpToTenThousandAreRefusedWithTheSum() {
        assertThatThrownBy(() -> RewardShares.of(1000, 6000, 2000))
                .isInstanceOf(DomainException.class)
                .hasMessageContaining("10000").hasMessageContaining("1000 + 6000 + 2000 = 9000");
    }

    @Test
    void sharesOutsideZeroToTenThousandAreRefused() {
        assertThatThrownBy(() -> Bps.of(-1)).isInstanceOf(DomainException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> Bps.of(10_001)).isInstanceOf(DomainException.class);
    }

    @Test
    void duplicatePoolIdsAreRefused() {
        assertThatThrownBy(() -> new Scenario(TokenAmount.of(1), List.of(
                pool("p1", 0, 10_000, 0, HAA), pool("p1", 0, 10_000, 0, HAA))))
                .isInstanceOf(DomainException.class).hasMessageContaining("pool id p1 appears more than once");
    }

    @Test
    void duplicateGpuIdsAreRefusedAcrossPoolsToo() {
        assertThatThrownBy(() -> new Scenario(TokenAmount.of(1), List.of(
                pool("p1", 0, 10_000, 0, HAA, gpu("g1", H01, 1, 1)),
                pool("p2", 0, 10_000, 0, HAA, gpu("g1", H02, 1, 1)))))
                .isInstanceOf(DomainException.class).hasMessageContaining("GPU id g1 appears more than once");
    }

    @Test
    void negativeAmountsAreRefused() {
        assertThatThrownBy(() -> DataCredits.of(-1)).isInstanceOf(DomainException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> TokenAmount.of(-1)).isInstanceOf(DomainException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> gpu("g1", H01, -5, 0)).isInstanceOf(DomainException.class).hasMessageContaining("online seconds");
    }

    @Test
    void tokenAmountsAreReadFromDecimalStringsOnly() {
        assertThat(TokenAmount.parse("1000000000000000000000", "emission").toString()).isEqualTo("1000000000000000000000");
        assertThat(TokenAmount.parse(TokenAmount.MAX.toString(), "emission").value()).isEqualTo(TokenAmount.MAX);
        assertThatThrownBy(() -> TokenAmount.parse("-5", "emission")).hasMessageContaining("emission must not be negative");
        assertThatThrownBy(() -> TokenAmount.parse("1e21", "emission")).hasMessageContaining("decimal string");
        assertThatThrownBy(() -> TokenAmount.parse("12.5", "emission")).hasMessageContaining("decimal string");
        assertThatThrownBy(() -> TokenAmount.parse("", "emission")).hasMessageContaining("decimal string");
        assertThatThrownBy(() -> TokenAmount.parse(TokenAmount.MAX.add(BigInteger.ONE).toString(), "emission"))
                .hasMessageContaining("256 bits");
        assertThatThrownBy(() -> TokenAmount.parse(null, "emission")).hasMessageContaining("emission is missing");
    }

    @Test
    void dataCreditsThatOverflowALongAreRefusedNotWrappedAround() {
        assertThatThrownBy(() -> new Scenario(TokenAmount.of(1), List.of(
                pool("p1", 0, 10_000, 0, HAA, gpu("g1", H01, 1, Long.MAX_VALUE)),
                pool("p2", 0, 10_000, 0, HAA, gpu("g2", H01, 1, 1)))))
                .isInstanceOf(DomainException.class).hasMessageContaining("add up to more than");
        assertThatThrownBy(() -> pool("p1", 0, 10_000, 0, HAA, gpu("g1", H01, Long.MAX_VALUE, 1), gpu("g2", H01, 1, 1)))
                .isInstanceOf(DomainException.class).hasMessageContaining("online seconds");
    }
}
