package gpu.report;

import gpu.report.SeedStreams.Stream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The host's side of every check a report carries: what the GPU's seeded computations must give,
 * computed exactly on the CPU. The CLI uses it to check its own GPU before it reports; the server
 * uses it to check a report. All matrix entries are small integers, so the GPU's FP32 and bf16
 * results are exact integers whatever order it sums in, and CPU and GPU agree bit for bit.
 */
public final class ReferenceMath {

    /** FP32 matrices (matmul digest, stability): entries in [-8, 8]. */
    public static final int F32_MODULUS = 17;
    public static final int F32_OFFSET = 8;
    /** bf16 matrices (mma digest): entries in [-4, 4]. */
    public static final int BF16_MODULUS = 9;
    public static final int BF16_OFFSET = 4;
    /** Vectors of the projection and of Freivalds' check: entries in [-8, 8]. */
    public static final int VECTOR_MODULUS = 17;
    public static final int VECTOR_OFFSET = 8;
    /** The memory test folds the word at every multiple of this index into its sample. */
    public static final long INTEGRITY_SAMPLE_STRIDE = 65536;

    private ReferenceMath() {
    }

    /** A seeded n x n (row-major) matrix of small integers. */
    public static int[] matrix(byte[] seed, Stream stream, int n, int modulus, int offset) {
        long key = SeedStreams.key(seed, stream);
        int[] m = new int[Math.multiplyExact(n, n)];
        for (int i = 0; i < m.length; i++) {
            m[i] = SeedStreams.smallInt(key, i, modulus, offset);
        }
        return m;
    }

    /** C = A * B for n x n integer matrices (exact: the products stay far below 2^31). */
    public static int[] multiply(int[] a, int[] b, int n) {
        int[] c = new int[n * n];
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int k = 0; k < n; k++) {
                int aik = a[row + k];
                if (aik == 0) {
                    continue;
                }
                int bRow = k * n;
                for (int j = 0; j < n; j++) {
                    c[row + j] += aik * b[bRow + j];
                }
            }
        }
        return c;
    }

    /** The digest of the FP32 product of the MATMUL streams, as {@code Digests.matmulSha256}. */
    public static String matmulDigest(byte[] seed, int n) {
        return digestOfInts(multiply(matrix(seed, Stream.MATMUL_A, n, F32_MODULUS, F32_OFFSET),
                matrix(seed, Stream.MATMUL_B, n, F32_MODULUS, F32_OFFSET), n));
    }

    /** The digest of the bf16 product of the MMA streams, as {@code Digests.mmaSha256}. */
    public static String mmaDigest(byte[] seed, int n) {
        return digestOfInts(multiply(matrix(seed, Stream.MMA_A, n, BF16_MODULUS, BF16_OFFSET),
                matrix(seed, Stream.MMA_B, n, BF16_MODULUS, BF16_OFFSET), n));
    }

    /** SHA-256 ("0x…") of integers as little-endian int32. */
    public static String digestOfInts(int[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(values);
        return sha256(bytes.array());
    }

    /**
     * The digest of a GPU's result: each value as the integer it must be. A value that is not an
     * integer is hashed by its bits, so it can never match.
     */
    public static String digestOfFloats(float[] values) {
        int[] ints = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            int v = (int) values[i];
            ints[i] = v == values[i] ? v : Float.floatToRawIntBits(values[i]) | 0x40000000;
        }
        return digestOfInts(ints);
    }

    /** The seeded vector of the stability projection (round -1) or of Freivalds' round {@code round}. */
    public static int[] vector(byte[] seed, int n, int round) {
        Stream stream = round < 0 ? Stream.PROJECTION : Stream.FREIVALDS;
        long key = SeedStreams.key(seed, stream);
        long base = round < 0 ? 0 : (long) round * n;
        int[] v = new int[n];
        for (int j = 0; j < n; j++) {
            v[j] = SeedStreams.smallInt(key, base + j, VECTOR_MODULUS, VECTOR_OFFSET);
        }
        return v;
    }

    /**
     * A·(B·v) for the STABILITY matrices, generated on the fly: O(n²) time, O(n) memory, never
     * the matrices themselves. What C·v must be if C = A·B.
     */
    public static long[] stabilityProjection(byte[] seed, int n, int[] v) {
        long keyA = SeedStreams.key(seed, Stream.STABILITY_A);
        long keyB = SeedStreams.key(seed, Stream.STABILITY_B);
        long[] bv = new long[n];
        for (int k = 0; k < n; k++) {
            long sum = 0;
            long row = (long) k * n;
            for (int j = 0; j < n; j++) {
                sum += (long) SeedStreams.smallInt(keyB, row + j, F32_MODULUS, F32_OFFSET) * v[j];
            }
            bv[k] = sum;
        }
        long[] abv = new long[n];
        for (int i = 0; i < n; i++) {
            long sum = 0;
            long row = (long) i * n;
            for (int k = 0; k < n; k++) {
                sum += SeedStreams.smallInt(keyA, row + k, F32_MODULUS, F32_OFFSET) * bv[k];
            }
            abv[i] = sum;
        }
        return abv;
    }

    /** C·v for an n x n result C that the GPU computed (values that are not integers count as their truncation). */
    public static long[] times(float[] c, int n, int[] v) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            long sum = 0;
            int row = i * n;
            for (int j = 0; j < n; j++) {
                sum += (long) c[row + j] * v[j];
            }
            out[i] = sum;
        }
        return out;
    }

    /** SHA-256 ("0x…") of a vector as little-endian int64: {@code Stability.projectionSha256}. */
    public static String digestOfLongs(long[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asLongBuffer().put(values);
        return sha256(bytes.array());
    }

    /** What {@code Stability.projectionSha256} must be for this seed and size. */
    public static String stabilityProjectionDigest(byte[] seed, int n) {
        return digestOfLongs(stabilityProjection(seed, n, vector(seed, n, -1)));
    }

    /**
     * Freivalds' check that C = A·B for the STABILITY matrices: for each round's seeded vector r,
     * C·r must equal A·(B·r). Integer arithmetic, so exact; a wrong C passes a round with
     * probability at most 1/17 per wrong entry's row.
     */
    public static boolean freivalds(byte[] seed, float[] c, int n, int rounds) {
        for (int round = 0; round < rounds; round++) {
            int[] r = vector(seed, n, round);
            if (!java.util.Arrays.equals(times(c, n, r), stabilityProjection(seed, n, r))) {
                return false;
            }
        }
        return true;
    }

    /** The random pattern's word at {@code index}: pattern 3 of suite.cu. */
    public static int randomPatternWord(long key, long index) {
        return (int) SeedStreams.mix(key + index);
    }

    /** What {@code Integrity.sampleXor} must be after testing {@code words} 32-bit words ("0x" and 8 hex digits). */
    public static String integritySample(byte[] seed, long words) {
        long key = SeedStreams.key(seed, Stream.INTEGRITY);
        int x = 0;
        for (long i = 0; i < words; i += INTEGRITY_SAMPLE_STRIDE) {
            x ^= randomPatternWord(key, i);
        }
        return hex32(x);
    }

    public static String hex32(int value) {
        return String.format("0x%08x", value);
    }

    public static String sha256(byte[] bytes) {
        try {
            return "0x" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
