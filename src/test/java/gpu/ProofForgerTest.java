package gpu;

import static org.assertj.core.api.Assertions.assertThat;

import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.RoundSizing;
import gpu.proof.TileTree;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import platform.EmbeddedPostgresResource;

/**
 * The forger of issue 12: a host without the GPU answering a model's rounds with the kernels' CPU
 * emulation (what {@link gpu.proof.CpuProver} runs), against the deadlines the server sets for every
 * model the migrations seed. A full round at a real model's size takes the CPU hours, so each is
 * measured in part and extrapolated, in the forger's favour:
 * <ul>
 * <li>compute: a few tiles of the model's own product (generating the inputs, the multiply-adds and
 * the tile's hash), times the tiles, spread over every core with perfect scaling, the tree free;</li>
 * <li>memory: dataset items made again, times the cheaper of building the whole dataset or making
 * each read's item on the fly, over every core, the chains' own hashes and the memory to hold the
 * dataset free;</li>
 * <li>the deadline with the largest network allowance the server grants.</li>
 * </ul>
 * The table goes to {@code target/proof-forger.md} (bench/proof-forger.sh prints it; the figures of
 * this machine are in docs/benchmarks.md). Every round must take the forger at least 20 times its
 * deadline.
 */
@QuarkusTest
@WithTestResource(value = EmbeddedPostgresResource.class, scope = TestResourceScope.GLOBAL)
class ProofForgerTest {

    /** The reference table as V10 and V71 seed it. */
    static final List<String> SEEDED = List.of("a100-80gb", "h100-pcie", "h100-sxm", "h200", "l40s", "rtx-3090", "rtx-4090");
    static final double GOAL = 20;
    /** Each part is measured in a few windows and the fastest counts, in the forger's favour. */
    static final int WINDOWS = 3;
    static final long WINDOW_NANOS = 120_000_000L;

    @Inject
    Certification certification;
    @Inject
    ProofSessions sessions;
    @Inject
    GpuConfig config;

    @Test
    void theCpuEmulationMissesEveryModelsDeadlinesByTwentyTimesAtLeast() throws IOException {
        int cores = Runtime.getRuntime().availableProcessors();
        int allowanceMs = (int) config.proof().maxNetworkAllowance().toMillis();
        warmUp();
        List<String> rows = new ArrayList<>();
        List<String> withinReach = new ArrayList<>();
        for (String id : SEEDED) {
            GpuModel model = certification.model(id).orElseThrow(() -> new AssertionError("the seeded model " + id + " is missing"));
            RoundSizing.Rates rates = ProofSessions.rates(model);

            ComputeRound.Size compute = RoundSizing.compute(rates);
            double computeExpected = RoundSizing.computeSeconds(rates, compute);
            double computeDeadline = sessions.deadlineMs(computeExpected, allowanceMs) / 1000.0;
            double computeForger = secondsPerTile(compute) * compute.tiles() / cores;

            MemoryRound.Params memory = RoundSizing.memory(rates);
            double memoryExpected = RoundSizing.memorySeconds(rates, memory);
            double memoryDeadline = sessions.deadlineMs(memoryExpected, allowanceMs) / 1000.0;
            double itemsNeeded = Math.min((double) memory.datasetItems(), (double) memory.chains() * memory.reads());
            double memoryForger = secondsPerItem(memory) * itemsNeeded / cores;

            rows.add(String.format(Locale.ROOT, "| %s | %d × %d × %d | %.0f ms | %.0f ms | %.3g s | %.0f× | %.3g items, 2^%d chains | %.0f ms | %.0f ms | %.3g s | %.0f× |",
                    id, compute.m(), compute.n(), compute.k(), computeExpected * 1000, computeDeadline * 1000, computeForger,
                    computeForger / computeDeadline, (double) memory.datasetItems(), Long.numberOfTrailingZeros(memory.chains()),
                    memoryExpected * 1000, memoryDeadline * 1000, memoryForger, memoryForger / memoryDeadline));
            if (computeForger < GOAL * computeDeadline) {
                withinReach.add(id + " compute");
            }
            if (memoryForger < GOAL * memoryDeadline) {
                withinReach.add(id + " memory");
            }
        }
        String table = String.format(Locale.ROOT, "Forger: the CPU emulation on %d cores, extrapolated from parts; deadlines with the %d ms allowance%n%n", cores, allowanceMs)
                + "| model | compute round (M × N × K) | GPU, expected | deadline | forger | ratio | memory round | GPU, expected | deadline | forger | ratio |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n"
                + String.join("\n", rows) + "\n";
        Files.writeString(Path.of("target", "proof-forger.md"), table);
        System.out.println(table);
        assertThat(withinReach).as("rounds the forger answers within 20 times the deadline\n" + table).isEmpty();
    }

    /** The JIT compiles the tile and the item before anything is timed. */
    private static void warmUp() {
        ComputeRound.Size size = new ComputeRound.Size(64, 64, 4096, RoundSizing.TILE);
        ComputeRound.Keys keys = ComputeRound.Keys.of(new byte[32]);
        MemoryRound round = new MemoryRound(new byte[32], new MemoryRound.Params(RoundSizing.CACHE_ITEMS, 1 << 20, RoundSizing.PARENTS, 1, 1));
        for (int run = 0; run < 20; run++) {
            TileTree.leaf(run % size.tiles(), ComputeRound.tile(keys, size, run % size.tiles()));
            for (int x = 0; x < 2_000; x++) {
                round.item(x);
            }
        }
    }

    /** One thread's best time for a tile of {@code size} (its inputs, multiply-adds and leaf hash) over a few windows. */
    private static double secondsPerTile(ComputeRound.Size size) {
        ComputeRound.Keys keys = ComputeRound.Keys.of(new byte[32]);
        double best = Double.MAX_VALUE;
        for (int window = 0; window < WINDOWS; window++) {
            long start = System.nanoTime();
            int tiles = 0;
            do {
                int t = tiles++ % size.tiles();
                TileTree.leaf(t, ComputeRound.tile(keys, size, t));
            } while (System.nanoTime() - start < WINDOW_NANOS);
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / tiles);
        }
        return best;
    }

    /** One thread's best time to make a dataset item of {@code params} from the cache, over a few windows. */
    private static double secondsPerItem(MemoryRound.Params params) {
        MemoryRound round = new MemoryRound(new byte[32], params);
        double best = Double.MAX_VALUE;
        long items = 0;
        for (int window = 0; window < WINDOWS; window++) {
            long start = System.nanoTime();
            long made = 0;
            do {
                for (int x = 0; x < 1_000; x++) {
                    round.item(items++);
                }
                made += 1_000;
            } while (System.nanoTime() - start < WINDOW_NANOS);
            best = Math.min(best, (System.nanoTime() - start) / 1e9 / made);
        }
        return best;
    }
}
