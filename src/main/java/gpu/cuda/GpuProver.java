package gpu.cuda;

import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.Prover;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import jcuda.driver.CUdeviceptr;

/**
 * Answers proof-of-GPU rounds on one GPU with suite.cu's proof kernels (docs/gpu-certification.md,
 * "Proof of GPU"): the compute round's inputs, product, tile hashes and tree, and the memory round's
 * cache, dataset, chains and tree all on the card; only the root goes to the host, and the openings
 * the server names come back from device memory. KernelEmulationTest checks the kernels against
 * gpu.proof on the CPU; this class has not yet run on a card.
 */
public final class GpuProver implements Prover {

    private static final int THREADS = 256;
    private static final int HASH = 32;
    /** proof_gemm_bf16's block: 128 × 128 of C, 32 of K per step. */
    private static final int BLOCK = 128;
    private static final int BLOCK_K = 32;

    private final Cuda cuda;

    /** On {@code cuda}'s GPU, whose PTX is loaded. */
    public GpuProver(Cuda cuda) {
        this.cuda = cuda;
    }

    @Override
    public ComputeCommitment compute(byte[] seed, ComputeRound.Size size) {
        if (size.m() % BLOCK != 0 || size.n() % BLOCK != 0 || size.k() % BLOCK_K != 0) {
            throw new IllegalArgumentException("the GPU's product takes m and n in multiples of 128 and k of 32, not " + size);
        }
        cuda.makeCurrent();
        ComputeRound.Keys keys = ComputeRound.Keys.of(seed);
        long aItems = (long) size.m() * size.k();
        long bItems = (long) size.k() * size.n();
        CUdeviceptr a = cuda.alloc(2 * aItems);
        CUdeviceptr b = cuda.alloc(2 * bItems);
        CUdeviceptr c = cuda.alloc(4L * size.m() * size.n());
        CUdeviceptr leaves = null;
        try {
            cuda.launch(Kernel.FILL_SMALL_INTS_BF16, blocks(aItems), THREADS, a, aItems, keys.a(), ComputeRound.MODULUS, ComputeRound.OFFSET);
            cuda.launch(Kernel.FILL_SMALL_INTS_BF16, blocks(bItems), THREADS, b, bItems, keys.b(), ComputeRound.MODULUS, ComputeRound.OFFSET);
            cuda.launch2d(Kernel.PROOF_GEMM_BF16, size.n() / BLOCK, size.m() / BLOCK, THREADS, a, b, c, size.m(), size.n(), size.k());
            leaves = cuda.alloc((long) HASH * size.tiles());
            cuda.launch(Kernel.PROOF_TILE_LEAVES, blocks(size.tiles()), THREADS, c, size.n(), size.tile(), (long) size.tiles(), leaves);
            DeviceTree tree = new DeviceTree(leaves, size.tiles());
            cuda.synchronize();
            return new ComputeCommitment() {
                @Override
                public byte[] root() {
                    return tree.root();
                }

                @Override
                public Openings.Opening open(Openings.Entry entry) {
                    cuda.makeCurrent();
                    int index = size.tileOf(entry.i(), entry.j());
                    return new Openings.Opening(index, tile(c, size, index), tree.path(index));
                }

                @Override
                public void close() {
                    cuda.makeCurrent();
                    tree.close();
                    cuda.free(c);
                }
            };
        } catch (RuntimeException e) {
            cuda.free(leaves);
            cuda.free(c);
            throw e;
        } finally {
            cuda.synchronize();
            cuda.free(a);
            cuda.free(b);
        }
    }

    /** Tile {@code index} of C, row by row, as the integers it holds exactly. */
    private int[] tile(CUdeviceptr c, ComputeRound.Size size, int index) {
        int t = size.tile();
        long row0 = (long) (index / size.tilesPerRow()) * t;
        long col0 = (long) (index % size.tilesPerRow()) * t;
        int[] values = new int[t * t];
        for (int r = 0; r < t; r++) {
            ByteBuffer row = ByteBuffer.wrap(cuda.downloadBytes(c, 4 * ((row0 + r) * size.n() + col0), 4 * t)).order(ByteOrder.LITTLE_ENDIAN);
            for (int col = 0; col < t; col++) {
                values[r * t + col] = (int) row.getFloat(4 * col);
            }
        }
        return values;
    }

    @Override
    public MemoryCommitment memory(byte[] seed, MemoryRound.Params params) {
        cuda.makeCurrent();
        CUdeviceptr seedOnGpu = cuda.upload(seed);
        CUdeviceptr cache = cuda.alloc((long) HASH * params.cacheItems());
        CUdeviceptr dataset = null;
        CUdeviceptr answers = cuda.alloc(HASH * params.chains());
        CUdeviceptr leaves = cuda.alloc(HASH * params.chains());
        try {
            dataset = cuda.alloc(params.datasetBytes());
            cuda.launch(Kernel.PROOF_CACHE, blocks(params.cacheItems()), THREADS, seedOnGpu, cache, (long) params.cacheItems());
            cuda.launch(Kernel.PROOF_DATASET, blocks(params.datasetItems()), THREADS, cache, (long) params.cacheItems(), params.parents(),
                    dataset, params.datasetItems());
            cuda.launch(Kernel.PROOF_CHAINS, blocks(params.chains()), THREADS, seedOnGpu, dataset, params.datasetItems(), params.reads(),
                    params.chains(), answers, leaves);
            cuda.synchronize();
            cuda.free(dataset);
            dataset = null;
            DeviceTree tree = new DeviceTree(leaves, params.chains());
            cuda.synchronize();
            return new MemoryCommitment() {
                @Override
                public byte[] root() {
                    return tree.root();
                }

                @Override
                public MemoryRound.ChainOpening open(long chain) {
                    cuda.makeCurrent();
                    return new MemoryRound.ChainOpening(chain, cuda.downloadBytes(answers, HASH * chain, HASH), tree.path(chain));
                }

                @Override
                public void close() {
                    cuda.makeCurrent();
                    tree.close();
                    cuda.free(answers);
                }
            };
        } catch (RuntimeException e) {
            cuda.free(answers);
            cuda.free(leaves);
            throw e;
        } finally {
            cuda.synchronize();
            cuda.free(dataset);
            cuda.free(cache);
            cuda.free(seedOnGpu);
        }
    }

    /** Blocks for a grid-stride kernel over {@code items}: enough to fill the card, no more than there is work for. */
    private int blocks(long items) {
        long needed = (items + THREADS - 1) / THREADS;
        return (int) Math.max(1, Math.min(needed, 32L * cuda.device().smCount()));
    }

    /** A tile tree in device memory, a level per buffer, built by proof_tree_level from the leaves up. */
    private final class DeviceTree implements AutoCloseable {
        private final List<CUdeviceptr> levels = new ArrayList<>();

        DeviceTree(CUdeviceptr leaves, long count) {
            if (Long.bitCount(count) != 1) {
                throw new IllegalArgumentException("a tile tree has a power of two of leaves, not " + count);
            }
            levels.add(leaves);
            try {
                for (long nodes = count / 2; nodes >= 1; nodes /= 2) {
                    CUdeviceptr above = cuda.alloc(HASH * nodes);
                    levels.add(above);
                    cuda.launch(Kernel.PROOF_TREE_LEVEL, blocks(nodes), THREADS, levels.get(levels.size() - 2), above, nodes);
                }
            } catch (RuntimeException e) {
                levels.subList(1, levels.size()).forEach(cuda::free); // the caller frees the leaves
                throw e;
            }
        }

        byte[] root() {
            return cuda.downloadBytes(levels.get(levels.size() - 1), 0, HASH);
        }

        /** The siblings from leaf {@code index} up to the root, as TileTree.Built.path gives them. */
        List<byte[]> path(long index) {
            List<byte[]> path = new ArrayList<>();
            for (int level = 0; level < levels.size() - 1; level++, index >>= 1) {
                path.add(cuda.downloadBytes(levels.get(level), HASH * (index ^ 1), HASH));
            }
            return path;
        }

        @Override
        public void close() {
            levels.forEach(cuda::free);
            levels.clear();
        }
    }
}
