package credits;

import static org.assertj.core.api.Assertions.assertThat;

import accounts.WalletAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Test;

/**
 * Invariants of settlement checked on many random scenarios. Each scenario comes from a seed, and a
 * failure names its seed, so {@code scenario(new Random(seed))} rebuilds it to debug.
 */
class SettlementPropertiesTest {

    private static final int SCENARIOS = 1_000;
    private static final List<WalletAddress> HOLDERS = List.of(
            SettlementTest.address("01"), SettlementTest.address("02"), SettlementTest.address("03"),
            SettlementTest.address("aa"), SettlementTest.address("bb"), SettlementTest.address("abcdef"));

    @Test
    void valueIsConservedAndOnlyRoundingDustIsLeftOver() {
        forEachSeed(seed -> {
            Scenario scenario = scenario(new Random(seed));
            SettlementResult result = Settlement.settle(scenario);

            BigInteger paid = result.payouts().stream().map(p -> p.amount().value()).reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(paid).as("seed %d: payouts add up to minted", seed).isEqualTo(result.minted().value());
            assertThat(result.minted().plus(result.remainder())).as("seed %d: minted + remainder = emission", seed)
                    .isEqualTo(scenario.emission());

            BigInteger allocated = BigInteger.ZERO;
            for (SettlementResult.PoolResult pool : result.pools()) {
                allocated = allocated.add(pool.allocation().value());
                BigInteger paidInPool = pool.operator().value().add(result.gpus().stream().filter(g -> g.pool().equals(pool.id()))
                        .map(g -> g.total().value()).reduce(BigInteger.ZERO, BigInteger::add));
                assertThat(paidInPool.add(pool.remainder().value())).as("seed %d: pool %s pays out its allocation", seed, pool.id())
                        .isEqualTo(pool.allocation().value());
            }
            assertThat(allocated).as("seed %d: pools get no more than the emission", seed).isLessThanOrEqualTo(scenario.emission().value());

            if (!result.totalDc().isZero() && scenario.pools().stream().allMatch(p -> p.dataCredits().isZero() || p.onlineSeconds() > 0)) {
                // Every floor loses less than one base unit: one per pool allocation, three per pool
                // (operator and the two budgets), two per GPU (pool share and bonus).
                long floors = scenario.pools().stream().mapToLong(p -> 1 + 3 + 2L * p.gpus().size()).sum();
                BigInteger capped = result.pools().stream().map(pool -> pool.capped().value()).reduce(BigInteger.ZERO, BigInteger::add);
                assertThat(result.remainder().value().subtract(capped)).as("seed %d: the remainder is what the guard cut and rounding dust", seed)
                        .isLessThan(BigInteger.valueOf(floors));
            }
        });
    }

    @Test
    void theGuardCapsEachPoolAndCutsNothingElse() {
        forEachSeed(seed -> {
            Scenario scenario = scenario(new Random(seed));
            SettlementResult result = Settlement.settle(scenario);
            TokenAmount emission = scenario.emission();
            DataCredits totalDc = scenario.totalDataCredits();
            for (Scenario.Pool pool : scenario.pools()) {
                SettlementResult.PoolResult settled = result.pools().stream().filter(r -> r.id().equals(pool.id())).findFirst().orElseThrow();
                TokenAmount proRata = SettlementRules.poolAllocation(emission, pool.dataCredits(), totalDc);
                assertThat(settled.allocation().plus(settled.capped())).as("seed %d: pool %s: allocation + capped = its pro-rata share",
                        seed, pool.id()).isEqualTo(proRata);
                if (scenario.guard().isEmpty()) {
                    assertThat(settled.capped()).as("seed %d: without the guard nothing is cut", seed).isEqualTo(TokenAmount.ZERO);
                } else {
                    TokenAmount cap = SettlementRules.guardCap(pool.dataCredits(), scenario.guard().get());
                    assertThat(settled.allocation().value()).as("seed %d: pool %s earns at most the cap", seed, pool.id())
                            .isEqualTo(proRata.value().min(cap.value()));
                }
            }
            Scenario unguarded = new Scenario(emission, scenario.pools());
            SettlementResult withoutGuard = Settlement.settle(unguarded);
            assertThat(result.minted().value()).as("seed %d: the guard never adds to what is minted", seed)
                    .isLessThanOrEqualTo(withoutGuard.minted().value());
        });
    }

    @Test
    void noAmountIsEverNegative() {
        forEachSeed(seed -> {
            SettlementResult result = Settlement.settle(scenario(new Random(seed)));
            List<TokenAmount> amounts = new ArrayList<>(List.of(result.minted(), result.remainder()));
            result.pools().forEach(p -> amounts.addAll(List.of(p.allocation(), p.operator(), p.remainder())));
            result.gpus().forEach(g -> amounts.addAll(List.of(g.poolShare(), g.usedBonus(), g.total())));
            result.payouts().forEach(p -> amounts.add(p.amount()));
            assertThat(amounts).as("seed %d", seed).allSatisfy(a -> assertThat(a.value().signum()).isNotNegative());
            assertThat(result.payouts()).as("seed %d: payouts are of something", seed).allSatisfy(p -> assertThat(p.amount().isZero()).isFalse());
        });
    }

    @Test
    void theOrderOfPoolsAndGpusAndTheCaseOfAddressesChangeNothing() {
        forEachSeed(seed -> {
            Scenario scenario = scenario(new Random(seed));
            Scenario shuffled = shuffledAndRecased(scenario, new Random(~seed));
            assertThat(Settlement.settle(shuffled)).as("seed %d", seed).isEqualTo(Settlement.settle(scenario));
        });
    }

    @Test
    void withNoDataCreditsConsumedNothingIsMinted() {
        forEachSeed(seed -> {
            Scenario scenario = withoutDataCredits(scenario(new Random(seed)));
            SettlementResult result = Settlement.settle(scenario);
            assertThat(result.totalDc()).isEqualTo(DataCredits.ZERO);
            assertThat(result.minted()).as("seed %d", seed).isEqualTo(TokenAmount.ZERO);
            assertThat(result.remainder()).as("seed %d", seed).isEqualTo(scenario.emission());
            assertThat(result.payouts()).as("seed %d", seed).isEmpty();
        });
    }

    @Test
    void listsAreAlwaysSorted() {
        forEachSeed(seed -> {
            SettlementResult result = Settlement.settle(scenario(new Random(seed)));
            assertThat(result.pools()).extracting(SettlementResult.PoolResult::id).as("seed %d", seed).isSorted();
            assertThat(result.gpus()).extracting(SettlementResult.GpuResult::id).as("seed %d", seed).isSorted();
            assertThat(result.payouts()).extracting(p -> p.holder().value()).as("seed %d", seed).isSorted();
        });
    }

    private static void forEachSeed(LongConsumer property) {
        for (long seed = 0; seed < SCENARIOS; seed++) {
            property.accept(seed);
        }
    }

    /** A random network: up to 8 pools of up to 6 GPUs, a few holders shared between them, some idle or offline GPUs; half with a guard. */
    static Scenario scenario(Random random) {
        List<Scenario.Pool> pools = new ArrayList<>();
        int poolCount = random.nextInt(9);
        int gpuNumber = 0;
        for (int p = 0; p < poolCount; p++) {
            List<Scenario.Gpu> gpus = new ArrayList<>();
            int gpuCount = random.nextInt(7);
            for (int g = 0; g < gpuCount; g++) {
                long online = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(86_400);
                long dc = random.nextInt(3) == 0 ? 0 : 1 + (long) (random.nextDouble() * (random.nextBoolean() ? 1_000 : 1e15));
                gpus.add(new Scenario.Gpu("g" + gpuNumber++, pick(random), online, DataCredits.of(dc)));
            }
            int a = random.nextInt(Bps.WHOLE + 1);
            int b = random.nextInt(Bps.WHOLE + 1);
            int low = Math.min(a, b);
            int high = Math.max(a, b);
            pools.add(new Scenario.Pool("p" + p, RewardShares.of(low, high - low, Bps.WHOLE - high), pick(random), gpus));
        }
        BigInteger emission = switch (random.nextInt(3)) {
            case 0 -> BigInteger.valueOf(random.nextInt(10_000));
            case 1 -> new BigInteger(80, random); // around 10^24: a day's emission in base units
            default -> new BigInteger(256, random); // up to the uint256 maximum
        };
        Optional<SelfDealingGuard> guard = random.nextBoolean() ? Optional.empty() : Optional.of(new SelfDealingGuard(
                new TokenPrice(1 + (long) (random.nextDouble() * (random.nextBoolean() ? 100_000_000 : TokenPrice.MAX_E8 - 1))),
                1 + random.nextInt((int) SelfDealingGuard.MAX_REWARD_BPS)));
        return new Scenario(new TokenAmount(emission), pools, guard);
    }

    private static WalletAddress pick(Random random) {
        return HOLDERS.get(random.nextInt(HOLDERS.size()));
    }

    /** The same network with its pools and each pool's GPUs in another order, and its addresses in upper case. */
    private static Scenario shuffledAndRecased(Scenario scenario, Random random) {
        List<Scenario.Pool> pools = new ArrayList<>();
        for (Scenario.Pool pool : scenario.pools()) {
            List<Scenario.Gpu> gpus = new ArrayList<>();
            for (Scenario.Gpu gpu : pool.gpus()) {
                gpus.add(new Scenario.Gpu(gpu.id(), upper(gpu.holder()), gpu.onlineSeconds(), gpu.dcConsumed()));
            }
            Collections.shuffle(gpus, random);
            pools.add(new Scenario.Pool(pool.id(), pool.shares(), upper(pool.operatorHolder()), gpus));
        }
        Collections.shuffle(pools, random);
        return new Scenario(scenario.emission(), pools, scenario.guard());
    }

    private static WalletAddress upper(WalletAddress address) {
        return WalletAddress.of("0x" + address.value().substring(2).toUpperCase(Locale.ROOT));
    }

    private static Scenario withoutDataCredits(Scenario scenario) {
        return new Scenario(scenario.emission(), scenario.pools().stream().map(pool -> new Scenario.Pool(pool.id(), pool.shares(),
                pool.operatorHolder(), pool.gpus().stream().map(gpu -> new Scenario.Gpu(gpu.id(), gpu.holder(), gpu.onlineSeconds(),
                        DataCredits.ZERO)).toList())).toList(), scenario.guard());
    }
}
