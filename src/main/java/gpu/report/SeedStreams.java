package gpu.report;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Everything a certification run computes is derived from the challenge's 32-byte seed, so a report
 * cannot be prepared before the challenge exists and the server can recompute what it claims. Each
 * input has its own stream, whose 64-bit key is derived from the seed on the CPU and handed to the
 * kernels; element {@code i} of a stream is {@code mix(key + i)}. The kernels (suite.cu) implement
 * the same {@link #mix} and {@link #smallInt}.
 */
public final class SeedStreams {

    public static final int SEED_BYTES = 32;

    /** The inputs of a run. The id is part of the key derivation: never renumber. */
    public enum Stream {
        MATMUL_A(1), MATMUL_B(2), MMA_A(3), MMA_B(4), STABILITY_A(5), STABILITY_B(6), PROJECTION(7),
        FREIVALDS(8), INTEGRITY(9),
        /** Proof of GPU's compute round (gpu.proof.ComputeRound): its A and B. */
        PROOF_A(10), PROOF_B(11);

        private final long id;

        Stream(long id) {
            this.id = id;
        }
    }

    private SeedStreams() {
    }

    /** A fresh random seed, "0x" and 64 lowercase hex digits. */
    public static String newSeed(SecureRandom random) {
        byte[] seed = new byte[SEED_BYTES];
        random.nextBytes(seed);
        return "0x" + HexFormat.of().formatHex(seed);
    }

    /** The seed's bytes; an IllegalArgumentException unless it is "0x" and 64 hex digits. */
    public static byte[] parse(String seed) {
        if (seed == null || !seed.toLowerCase(Locale.ROOT).matches("0x[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a seed is 0x followed by 64 hex digits, not " + seed);
        }
        return HexFormat.of().parseHex(seed.substring(2));
    }

    /** The key of {@code stream}: the stream id folded with the seed's four little-endian 64-bit words. */
    public static long key(byte[] seed, Stream stream) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("a seed has " + SEED_BYTES + " bytes");
        }
        long k = stream.id;
        for (int w = 3; w >= 0; w--) {
            k = mix(k ^ word(seed, w));
        }
        return k;
    }

    /** splitmix64: one step from a 64-bit state (Steele, Lea and Flood, 2014). */
    public static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Element {@code index} of a stream as a small integer in [-offset, modulus - 1 - offset]. A
     * power-of-two modulus takes the low bits, the same value as the remainder at half its cost
     * (proof of GPU's checks make millions of them per round: docs/benchmarks.md).
     */
    public static int smallInt(long key, long index, int modulus, int offset) {
        long z = mix(key + index);
        return (int) ((modulus & (modulus - 1)) == 0 ? z & (modulus - 1) : Long.remainderUnsigned(z, modulus)) - offset;
    }

    private static long word(byte[] seed, int w) {
        long value = 0;
        for (int b = 7; b >= 0; b--) {
            value = (value << 8) | (seed[w * 8 + b] & 0xFFL);
        }
        return value;
    }
}
