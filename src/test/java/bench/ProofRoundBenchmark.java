package bench;

import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.TileTree;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Proof of GPU's rounds on this machine's CPU (issue 12): what checking one round costs the server
 * (CPU time of the openings' checks, goal under 50 ms per GPU per round), and how fast the rounds'
 * CPU emulation (the best a host without a GPU can do with this code) computes product entries and
 * remakes dataset items, from which the forger's time at a model's round size is extrapolated.
 * Usage: bench/proof-rounds.sh [repetitions]; figures in docs/benchmarks.md.
 */
public final class ProofRoundBenchmark {

    /** The H100/H200 round sizes of docs/gpu-certification.md ("Proof of GPU: sizing"). */
    static final ComputeRound.Size COMPUTE = new ComputeRound.Size(16384, 16384, 16384, 64);
    static final MemoryRound.Params MEMORY = new MemoryRound.Params(1 << 15, 3_900_000_000L, 4, 1L << 26, 64);
    /**
     * The benchmark commits to 2^20 chains, not the round's 2^26 (a tree of 2^26 leaves is 2 GB
     * here): checking a path of 26 levels instead of 20 costs the server 6 more hashes per opening.
     */
    static final MemoryRound.Params BENCHED = new MemoryRound.Params(MEMORY.cacheItems(), MEMORY.datasetItems(), MEMORY.parents(),
            1 << 20, MEMORY.reads());

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) {
        int repetitions = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        SecureRandom random = new SecureRandom();
        double[] compute = new double[repetitions];
        double[] memory = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            compute[r] = computeCheckMillis(seed, random.nextLong());
            memory[r] = memoryCheckMillis(seed, random.nextLong());
        }
        Arrays.sort(compute);
        Arrays.sort(memory);
        System.out.printf(Locale.ROOT, "server CPU per round, %d openings each, median (max) of %d:%n", Openings.PER_ROUND, repetitions);
        System.out.printf(Locale.ROOT, "  compute round %dx%dx%d, tiles of %d: %.1f ms (%.1f)%n", COMPUTE.m(), COMPUTE.n(), COMPUTE.k(),
                COMPUTE.tile(), compute[repetitions / 2], compute[repetitions - 1]);
        System.out.printf(Locale.ROOT, "  memory round: cache %d items, %d parents, %d reads per chain (committed to 2^20 chains): %.1f ms (%.1f)%n",
                MEMORY.cacheItems(), MEMORY.parents(), MEMORY.reads(), memory[repetitions / 2], memory[repetitions - 1]);

        double macsPerSecond = emulatedMultiplyAddsPerSecond();
        double itemsPerSecond = emulatedItemsPerSecond();
        System.out.printf(Locale.ROOT, "CPU emulation on this machine (%d cores, one thread): %.3g multiply-adds/s, %.3g dataset items/s%n",
                Runtime.getRuntime().availableProcessors(), macsPerSecond, itemsPerSecond);
        System.out.printf(Locale.ROOT, "  forger's compute round (one thread): %.0f s; on every core: %.0f s%n",
                COMPUTE.multiplyAdds() / macsPerSecond, COMPUTE.multiplyAdds() / macsPerSecond / Runtime.getRuntime().availableProcessors());
        double reads = (double) MEMORY.chains() * MEMORY.reads();
        System.out.printf(Locale.ROOT, "  forger's memory round: building the dataset (%.3g items) %.0f s one thread; without it, "
                + "each of the %.3g reads making its item again: %.0f s one thread%n", (double) MEMORY.datasetItems(),
                MEMORY.datasetItems() / itemsPerSecond, reads, reads / itemsPerSecond);
    }

    /** CPU time of checking a compute round's openings; the named tiles are computed honestly, the other leaves are random. */
    static double computeCheckMillis(byte[] seed, long salt) {
        ComputeRound.Keys keys = ComputeRound.Keys.of(seed);
        SplittableRandom random = new SplittableRandom(salt);
        List<Openings.Entry> named = Openings.choose(COMPUTE, Openings.PER_ROUND, random);
        byte[][] leaves = randomLeaves(COMPUTE.tiles(), random);
        int[][] tiles = new int[COMPUTE.tiles()][];
        for (Openings.Entry entry : named) {
            int t = COMPUTE.tileOf(entry.i(), entry.j());
            if (tiles[t] == null) {
                tiles[t] = honestTileEntry(keys, entry);
                leaves[t] = TileTree.leaf(t, tiles[t]);
            }
        }
        byte[] root = TileTree.root(leaves);
        List<Openings.Opening> answers = named.stream().map(e -> Openings.open(COMPUTE, tiles, leaves, e)).toList();
        long start = CPU.getCurrentThreadCpuTime();
        if (Openings.check(keys, COMPUTE, root, named, answers).isPresent()) {
            throw new IllegalStateException("an honest compute round failed");
        }
        return (CPU.getCurrentThreadCpuTime() - start) / 1e6;
    }

    /**
     * A tile that is right where the entry is named and arbitrary elsewhere: the check reads only the
     * named entry of a tile (the rest counts in its hash), so the benchmark need not compute 64×64×16,384.
     */
    private static int[] honestTileEntry(ComputeRound.Keys keys, Openings.Entry entry) {
        int t = COMPUTE.tile();
        int[] tile = new int[t * t];
        tile[(entry.i() % t) * t + entry.j() % t] = ComputeRound.entry(keys, COMPUTE, entry.i(), entry.j());
        return tile;
    }

    static double memoryCheckMillis(byte[] seed, long salt) {
        long start = CPU.getCurrentThreadCpuTime();
        MemoryRound round = new MemoryRound(seed, BENCHED); // the server builds the cache for every round
        long built = CPU.getCurrentThreadCpuTime();
        SplittableRandom random = new SplittableRandom(salt);
        List<Long> named = new ArrayList<>();
        byte[][] leaves = randomLeaves((int) BENCHED.chains(), random);
        byte[][] answers = new byte[leaves.length][];
        for (int n = 0; n < Openings.PER_ROUND; n++) {
            long c = random.nextInt((int) BENCHED.chains());
            named.add(c);
            answers[(int) c] = round.chainFromCache(c);
            leaves[(int) c] = MemoryRound.leaf(c, answers[(int) c]);
        }
        byte[] root = TileTree.root(leaves);
        List<MemoryRound.ChainOpening> opened = named.stream()
                .map(c -> new MemoryRound.ChainOpening(c, answers[c.intValue()], TileTree.path(leaves, c.intValue()))).toList();
        long checking = CPU.getCurrentThreadCpuTime();
        if (round.check(root, named, opened).isPresent()) {
            throw new IllegalStateException("an honest memory round failed");
        }
        return ((built - start) + (CPU.getCurrentThreadCpuTime() - checking)) / 1e6;
    }

    private static byte[][] randomLeaves(int count, SplittableRandom random) {
        byte[][] leaves = new byte[count][TileTree.HASH_BYTES];
        for (byte[] leaf : leaves) {
            random.nextBytes(leaf);
        }
        return leaves;
    }

    /** Multiply-adds per second of the compute round's CPU emulation (ComputeRound.tile), one thread. */
    static double emulatedMultiplyAddsPerSecond() {
        ComputeRound.Size size = new ComputeRound.Size(64, 64, 4096, 64);
        ComputeRound.Keys keys = ComputeRound.Keys.of(new byte[32]);
        ComputeRound.tile(keys, size, 0); // warm up
        long start = System.nanoTime();
        int tiles = 0;
        while (System.nanoTime() - start < 3_000_000_000L) {
            ComputeRound.tile(keys, size, 0);
            tiles++;
        }
        return tiles * size.multiplyAdds() / ((System.nanoTime() - start) / 1e9);
    }

    /** Dataset items per second the memory round's CPU emulation makes again (MemoryRound.item), one thread. */
    static double emulatedItemsPerSecond() {
        MemoryRound round = new MemoryRound(new byte[32], MEMORY);
        long start = System.nanoTime();
        long items = 0;
        while (System.nanoTime() - start < 3_000_000_000L) {
            round.item(items++);
        }
        return items / ((System.nanoTime() - start) / 1e9);
    }
}
