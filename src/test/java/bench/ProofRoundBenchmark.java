package bench;

import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.RoundSizing;
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
 * What checking one proof-of-GPU round costs the server on this machine's CPU (issue 12): the
 * thread CPU time of checking its openings, goal under 50 ms per GPU per round. The forger's side
 * (the rounds' CPU emulation against every model's deadlines) is gpu.ProofForgerTest.
 * Usage: bench/proof-rounds.sh [repetitions]; figures in docs/benchmarks.md.
 */
public final class ProofRoundBenchmark {

    /**
     * The largest rounds {@link gpu.proof.RoundSizing} makes for the seeded table, those of the H200
     * (gpu.ProofForgerTest prints every model's): the most the server checks. Each compute opening
     * costs k multiply-adds, and a memory opening a chain of 64 items.
     */
    static final ComputeRound.Size COMPUTE = new ComputeRound.Size(16384, 16384, 1 << 17, RoundSizing.TILE);
    static final MemoryRound.Params MEMORY = new MemoryRound.Params(RoundSizing.CACHE_ITEMS, 4_240_000_000L, RoundSizing.PARENTS,
            1L << 25, RoundSizing.READS);
    /**
     * The benchmark commits to 2^20 chains, not the round's 2^25 (a tree of 2^25 leaves is 1 GB
     * here): checking a path of 25 levels instead of 20 costs the server 5 more hashes per opening.
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
        TileTree.Built tree = TileTree.build(leaves);
        byte[] root = tree.root();
        List<Openings.Opening> answers = named.stream().map(e -> Openings.open(COMPUTE, tiles, tree, e)).toList();
        long start = CPU.getCurrentThreadCpuTime();
        if (Openings.check(keys, COMPUTE, root, named, answers).isPresent()) {
            throw new IllegalStateException("an honest compute round failed");
        }
        return (CPU.getCurrentThreadCpuTime() - start) / 1e6;
    }

    /**
     * A tile that is right where the entry is named and arbitrary elsewhere: the check reads only the
     * named entry of a tile (the rest counts in its hash), so the benchmark need not compute whole tiles.
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
        TileTree.Built tree = TileTree.build(leaves);
        byte[] root = tree.root();
        List<MemoryRound.ChainOpening> opened = named.stream()
                .map(c -> new MemoryRound.ChainOpening(c, answers[c.intValue()], tree.path(c.intValue()))).toList();
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
}
