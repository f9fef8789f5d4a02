package gpu.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a certification run found, as the CLI writes it and the server reads it. Its canonical JSON
 * ({@link CanonicalJson}) is what the operator's or host's key signs. Figures are decimals (JSON
 * strings), counts and sizes integers. docs/gpu-certification.md describes every field.
 *
 * @param format    {@link #FORMAT}
 * @param operator  the wallet the certificate is for (lowercase 0x address); null in a practice run
 * @param model     the claimed model id from the reference table ({@code GET /api/gpu/models}); may be null offline
 * @param challenge the server's challenge (nonce and seed) that every input was derived from
 * @param startedAt when the run began, by the host's clock (ISO-8601 UTC); informational
 */
public record GpuReport(
        String format,
        String operator,
        String model,
        Challenge challenge,
        Tool tool,
        Identity gpu,
        Bandwidth bandwidth,
        Compute compute,
        Integrity integrity,
        Stability stability,
        Digests digests,
        String startedAt,
        String finishedAt) {

    public static final String FORMAT = "bc-gpu-report/1";

    /** Matrix sizes of the digests: fixed by the format, so the server's recomputation is bounded. */
    public static final int MATMUL_SIZE = 512;
    public static final int MMA_SIZE = 256;

    /** The patterns of the memory test, in the order they run. */
    public static final List<String> INTEGRITY_PATTERNS =
            List.of("walking-ones", "walking-zeros", "address", "random", "random-inverted");

    /** The nonce (null in a practice run without a challenge) and the seed of the challenge. */
    public record Challenge(String nonce, String seed) {
    }

    /** The CLI's version and the SHA-256 of the PTX it ran, which the server compares with its own. */
    public record Tool(String version, String kernelsSha256) {
    }

    /** What the driver says about the GPU. */
    public record Identity(
            String name,
            String uuid,
            String pciBusId,
            long totalMemoryBytes,
            int smCount,
            String computeCapability,
            int clockMhz,
            int memoryClockMhz,
            int memoryBusWidthBits,
            String driverVersion) {
    }

    /**
     * Bandwidths in GB/s (10^9 bytes per second), counting bytes read and written for device memory.
     *
     * @param copyKernel the tuned copy configuration that won: kernel, blocks, threads
     */
    public record Bandwidth(
            long bufferBytes,
            String copyKernel,
            BigDecimal copyGbs,
            BigDecimal triadGbs,
            BigDecimal memcpyDtoDGbs,
            long pinnedBytes,
            BigDecimal hostToDeviceGbs,
            BigDecimal deviceToHostGbs,
            int runs) {

        /** The device memory bandwidth the certificate records: the better of the copy and triad kernels. */
        public BigDecimal deviceGbs() {
            return copyGbs.max(triadGbs);
        }
    }

    /** Throughputs in TFLOP/s (10^12 floating-point operations per second; an FMA counts as two). */
    public record Compute(BigDecimal fp32Tflops, BigDecimal bf16Tflops, int runs) {
    }

    /**
     * The memory test: every pattern written over {@code testedBytes} and read back.
     *
     * @param sampleXor XOR of the random pattern's words read back at every index that is a multiple of 65536
     */
    public record Integrity(
            long freeBytes,
            long testedBytes,
            List<String> patterns,
            long errors,
            BigDecimal seconds,
            String sampleXor) {
    }

    /**
     * The stability pass: a seeded {@code matrixSize}² FP32 matrix product repeated for {@code seconds},
     * each result compared bit for bit with the first; the first checked on the host with Freivalds'
     * algorithm; {@code projectionSha256} is the SHA-256 of C·v (v seeded), which the server recomputes as A(B·v).
     */
    public record Stability(
            int matrixSize,
            BigDecimal seconds,
            long iterations,
            long mismatches,
            int freivaldsRounds,
            boolean freivaldsPassed,
            String projectionSha256) {
    }

    /** SHA-256 digests of seeded matrix products that the server recomputes in full. */
    public record Digests(int matmulSize, String matmulSha256, int mmaSize, String mmaSha256) {
    }
}
