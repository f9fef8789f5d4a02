package gpu.proof;

import gpu.report.SeedStreams;

/**
 * The compute round of proof of GPU (issue 12; docs/gpu-certification.md, "Proof of GPU"): the
 * product C = A·B of an M×K and a K×N matrix whose entries are small integers generated from the
 * round's seed by a counter-based generator ({@link SeedStreams#smallInt}), so the GPU generates
 * its inputs itself and the server evaluates any entry of A, B or C without the others. Entries lie
 * in [-8, 7]: products and every partial sum of a row are integers below 2^24 in magnitude for
 * K ≤ {@link #MAX_K}, so a bf16 tensor-core product with fp32 accumulation is exact in any order,
 * and C is the same bits on every correct GPU.
 *
 * <p>The GPU commits to C tile by tile ({@link TileTree}); the server then names random entries
 * ({@link Openings}) and checks each by computing it here, K multiply-adds.
 */
public final class ComputeRound {

    /** Entries of A and B: {@code smallInt(key, index, MODULUS, OFFSET)}, in [-8, 7]. */
    public static final int MODULUS = 16;
    public static final int OFFSET = 8;
    /** The largest K for which every partial sum stays below 2^24 (fp32's exact integers): 64 × K ≤ 2^24. */
    public static final int MAX_K = 1 << 18;

    /** A round's shape: C is m × n, the inner dimension k, committed in square tiles of {@code tile} entries a side. */
    public record Size(int m, int n, int k, int tile) {
        public Size {
            if (tile <= 0 || m <= 0 || n <= 0 || m % tile != 0 || n % tile != 0) {
                throw new IllegalArgumentException("m and n are positive multiples of the tile size, not " + m + " × " + n + " in tiles of " + tile);
            }
            if (k <= 0 || k > MAX_K) {
                throw new IllegalArgumentException("k is from 1 to " + MAX_K + " (exact fp32 accumulation), not " + k);
            }
            if (Integer.bitCount((m / tile) * (n / tile)) != 1) {
                throw new IllegalArgumentException("the number of tiles is a power of two, not " + (m / tile) * (n / tile));
            }
        }

        public int tilesPerRow() {
            return n / tile;
        }

        public int tiles() {
            return (m / tile) * (n / tile);
        }

        /** The tile that holds entry (i, j), row-major over tiles. */
        public int tileOf(int i, int j) {
            return (i / tile) * tilesPerRow() + j / tile;
        }

        /** Multiply-adds of the whole product (half its floating-point operations). */
        public double multiplyAdds() {
            return (double) m * n * k;
        }
    }

    /** The keys of A's and B's streams for one round, derived from its 32-byte seed. */
    public record Keys(long a, long b) {
        public static Keys of(byte[] seed) {
            return new Keys(SeedStreams.key(seed, SeedStreams.Stream.PROOF_A), SeedStreams.key(seed, SeedStreams.Stream.PROOF_B));
        }
    }

    private ComputeRound() {
    }

    static int a(Keys keys, Size size, int i, int kk) {
        return SeedStreams.smallInt(keys.a(), (long) i * size.k() + kk, MODULUS, OFFSET);
    }

    static int b(Keys keys, Size size, int kk, int j) {
        return SeedStreams.smallInt(keys.b(), (long) kk * size.n() + j, MODULUS, OFFSET);
    }

    /** Entry (i, j) of C, computed from the seed alone: what the server checks an opening against. */
    public static int entry(Keys keys, Size size, int i, int j) {
        int sum = 0;
        for (int kk = 0; kk < size.k(); kk++) {
            sum += a(keys, size, i, kk) * b(keys, size, kk, j);
        }
        return sum;
    }

    /**
     * Tile {@code index} of C, row-major within the tile, computed on the CPU: the reference for
     * tests and the best a host without a GPU can do (the forger's emulation).
     */
    public static int[] tile(Keys keys, Size size, int index) {
        int t = size.tile();
        int row0 = (index / size.tilesPerRow()) * t;
        int col0 = (index % size.tilesPerRow()) * t;
        int[] a = new int[t * size.k()];
        for (int r = 0; r < t; r++) {
            for (int kk = 0; kk < size.k(); kk++) {
                a[r * size.k() + kk] = a(keys, size, row0 + r, kk);
            }
        }
        int[] out = new int[t * t];
        for (int kk = 0; kk < size.k(); kk++) {
            int[] bRow = new int[t];
            for (int c = 0; c < t; c++) {
                bRow[c] = b(keys, size, kk, col0 + c);
            }
            for (int r = 0; r < t; r++) {
                int x = a[r * size.k() + kk];
                for (int c = 0; c < t; c++) {
                    out[r * t + c] += x * bRow[c];
                }
            }
        }
        return out;
    }
}
