package gpu.report;

import java.math.BigDecimal;
import java.util.List;

/**
 * What a certification run found, as the CLI writes it and the server reads it. Its canonical JSON
 * ({@link CanonicalJson}) is what the operator's or host's key signs. Figures are decimals (JSON
 * strings), counts and sizes integers. docs/gpu-certification.md describes every field. Each record
 * checks its fields against {@link ReportLimits} when it is made, read from JSON or built by the CLI.
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

    /** Every field within {@link ReportLimits}; an IllegalArgumentException naming the first that is not. */
    public GpuReport {
        ReportLimits.text("format", format, ReportLimits.SHORT_TEXT);
        ReportLimits.text("operator", operator, ReportLimits.SHORT_TEXT);
        ReportLimits.text("model", model, ReportLimits.MODEL_ID_TEXT);
        ReportLimits.text("startedAt", startedAt, ReportLimits.SHORT_TEXT);
        ReportLimits.text("finishedAt", finishedAt, ReportLimits.SHORT_TEXT);
    }

    public static final String FORMAT = "bc-gpu-report/1";

    /** Matrix sizes of the digests: fixed by the format, so the server's recomputation is bounded. */
    public static final int MATMUL_SIZE = 512;
    public static final int MMA_SIZE = 256;

    /** The patterns of the memory test, in the order they run. */
    public static final List<String> INTEGRITY_PATTERNS =
            List.of("walking-ones", "walking-zeros", "address", "random", "random-inverted");

    /** The nonce (null in a practice run without a challenge) and the seed of the challenge. */
    public record Challenge(String nonce, String seed) {

        public Challenge {
            ReportLimits.text("challenge.nonce", nonce, ReportLimits.SHORT_TEXT);
            ReportLimits.text("challenge.seed", seed, ReportLimits.SHORT_TEXT);
        }
    }

    /** The CLI's version and the SHA-256 of the PTX it ran, which the server compares with its own. */
    public record Tool(String version, String kernelsSha256) {

        public Tool {
            ReportLimits.text("tool.version", version, ReportLimits.SHORT_TEXT);
            ReportLimits.text("tool.kernelsSha256", kernelsSha256, ReportLimits.SHORT_TEXT);
        }
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

        public Identity {
            ReportLimits.text("gpu.name", name, ReportLimits.NAME_TEXT);
            ReportLimits.text("gpu.uuid", uuid, ReportLimits.SHORT_TEXT);
            ReportLimits.text("gpu.pciBusId", pciBusId, ReportLimits.SHORT_TEXT);
            ReportLimits.text("gpu.computeCapability", computeCapability, ReportLimits.SHORT_TEXT);
            ReportLimits.text("gpu.driverVersion", driverVersion, ReportLimits.SHORT_TEXT);
        }
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

        public Bandwidth {
            ReportLimits.text("bandwidth.copyKernel", copyKernel, ReportLimits.SHORT_TEXT);
            ReportLimits.decimal("bandwidth.copyGbs", copyGbs);
            ReportLimits.decimal("bandwidth.triadGbs", triadGbs);
            ReportLimits.decimal("bandwidth.memcpyDtoDGbs", memcpyDtoDGbs);
            ReportLimits.decimal("bandwidth.hostToDeviceGbs", hostToDeviceGbs);
            ReportLimits.decimal("bandwidth.deviceToHostGbs", deviceToHostGbs);
        }

        /** The device memory bandwidth the certificate records: the better of the copy and triad kernels. */
        public BigDecimal deviceGbs() {
            return copyGbs.max(triadGbs);
        }
    }

    /** Throughputs in TFLOP/s (10^12 floating-point operations per second; an FMA counts as two). */
    public record Compute(BigDecimal fp32Tflops, BigDecimal bf16Tflops, int runs) {

        public Compute {
            ReportLimits.decimal("compute.fp32Tflops", fp32Tflops);
            ReportLimits.decimal("compute.bf16Tflops", bf16Tflops);
        }
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

        public Integrity {
            patterns = ReportLimits.texts("integrity.patterns", patterns);
            ReportLimits.decimal("integrity.seconds", seconds);
            ReportLimits.text("integrity.sampleXor", sampleXor, ReportLimits.SHORT_TEXT);
        }
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

        public Stability {
            ReportLimits.decimal("stability.seconds", seconds);
            ReportLimits.text("stability.projectionSha256", projectionSha256, ReportLimits.SHORT_TEXT);
        }
    }

    /** SHA-256 digests of seeded matrix products that the server recomputes in full. */
    public record Digests(int matmulSize, String matmulSha256, int mmaSize, String mmaSha256) {

        public Digests {
            ReportLimits.text("digests.matmulSha256", matmulSha256, ReportLimits.SHORT_TEXT);
            ReportLimits.text("digests.mmaSha256", mmaSha256, ReportLimits.SHORT_TEXT);
        }
    }
}
