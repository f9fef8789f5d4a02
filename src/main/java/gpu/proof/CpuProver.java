package gpu.proof;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Answers proof-of-GPU rounds on the CPU, on every core: the kernels' emulation. Tests answer small
 * rounds with it as an honest GPU would; at a real model's sizes it is the forger that must miss
 * every deadline (ProofForgerTest).
 */
public final class CpuProver implements Prover {

    private final ForkJoinPool pool;

    /** On {@code threads} threads. */
    public CpuProver(int threads) {
        this.pool = new ForkJoinPool(threads);
    }

    @Override
    public ComputeCommitment compute(byte[] seed, ComputeRound.Size size) {
        ComputeRound.Keys keys = ComputeRound.Keys.of(seed);
        int[][] tiles = new int[size.tiles()][];
        byte[][] leaves = new byte[size.tiles()][];
        pool.submit(() -> IntStream.range(0, size.tiles()).parallel().forEach(t -> {
            tiles[t] = ComputeRound.tile(keys, size, t);
            leaves[t] = TileTree.leaf(t, tiles[t]);
        })).join();
        TileTree.Built tree = TileTree.build(leaves);
        return new ComputeCommitment() {
            @Override
            public byte[] root() {
                return tree.root();
            }

            @Override
            public Openings.Opening open(Openings.Entry entry) {
                int tile = size.tileOf(entry.i(), entry.j());
                return new Openings.Opening(tile, tiles[tile], tree.path(tile));
            }
        };
    }

    @Override
    public MemoryCommitment memory(byte[] seed, MemoryRound.Params params) {
        if (params.datasetItems() > Integer.MAX_VALUE / MemoryRound.ITEM_BYTES || params.chains() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the CPU prover holds at most 2 GiB of dataset and 2^31 chains");
        }
        MemoryRound round = new MemoryRound(seed, params);
        int items = (int) params.datasetItems();
        byte[] dataset = new byte[items * MemoryRound.ITEM_BYTES];
        pool.submit(() -> IntStream.range(0, items).parallel()
                .forEach(x -> System.arraycopy(round.item(x), 0, dataset, x * MemoryRound.ITEM_BYTES, MemoryRound.ITEM_BYTES))).join();
        int chains = (int) params.chains();
        byte[][] answers = new byte[chains][];
        byte[][] leaves = new byte[chains][];
        pool.submit(() -> IntStream.range(0, chains).parallel().forEach(c -> {
            answers[c] = round.chain(c, x -> Arrays.copyOfRange(dataset, (int) x * MemoryRound.ITEM_BYTES,
                    (int) (x + 1) * MemoryRound.ITEM_BYTES));
            leaves[c] = MemoryRound.leaf(c, answers[c]);
        })).join();
        TileTree.Built tree = TileTree.build(leaves);
        return new MemoryCommitment() {
            @Override
            public byte[] root() {
                return tree.root();
            }

            @Override
            public MemoryRound.ChainOpening open(long chain) {
                return new MemoryRound.ChainOpening(chain, answers[(int) chain], tree.path((int) chain));
            }

            @Override
            public void close() {
            }
        };
    }
}
