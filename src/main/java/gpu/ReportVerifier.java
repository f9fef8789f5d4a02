package gpu;

import gpu.report.Figure;
import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The checks of a report that need no database: model, figures against the reference, plausibility
 * (figures that contradict the model or each other), the GPU's own health checks, and the seeded
 * digests recomputed on the CPU. Returns every failed check, not just the first.
 */
final class ReportVerifier {

    /** What the server holds a report against. */
    record Rules(long minStabilitySeconds, BigDecimal tolerance, BigDecimal minCoverage, String kernelsSha256) {
    }

    static final Pattern GPU_UUID = Pattern.compile("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** Stability matrices the server will recompute a projection of (O(n²) on the CPU). */
    static final int MIN_STABILITY_SIZE = 1024;
    static final int MAX_STABILITY_SIZE = 8192;
    /** A reported memory size may differ this much from the model's (driver reservations, ECC). */
    static final BigDecimal MEMORY_TOLERANCE = new BigDecimal("0.04");
    /** The share of the GPU's memory that must be free when it is tested: certify an idle GPU. */
    static final BigDecimal MIN_FREE_SHARE = new BigDecimal("0.8");

    private static final BigDecimal MIB = BigDecimal.valueOf(1L << 20);
    private static final BigDecimal GIGA = BigDecimal.valueOf(1_000_000_000L);
    private static final BigDecimal TERA = BigDecimal.valueOf(1_000_000_000_000L);

    private final Rules rules;

    ReportVerifier(Rules rules) {
        this.rules = rules;
    }

    /**
     * @param model the claimed model, or null when the report names none or an unknown one
     * @param seed  the challenge's seed to recompute digests from, or null when there is no usable challenge
     */
    List<Reason> verify(GpuReport report, GpuModel model, byte[] seed) {
        List<Reason> reasons = new ArrayList<>();
        GpuReport.Identity gpu = report.gpu();
        if (!Objects.equals(rules.kernelsSha256(), report.tool().kernelsSha256())) {
            reasons.add(new Reason("kernels", "The report was made with kernels (sha256 " + report.tool().kernelsSha256()
                    + ") that differ from this server's (" + rules.kernelsSha256() + "); use the CLI this server offers"));
        }
        if (gpu.uuid() == null || !GPU_UUID.matcher(gpu.uuid()).matches()) {
            reasons.add(new Reason("gpu.uuid", "'" + gpu.uuid() + "' is not a GPU UUID (GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)"));
        }
        if (model != null) {
            checkModel(gpu, model, reasons);
            checkFigures(report, model, reasons);
            checkPlausibility(report, model, reasons);
        }
        checkHealth(report, reasons);
        if (seed != null) {
            checkDigests(report, model, seed, reasons);
        }
        return reasons;
    }

    private void checkModel(GpuReport.Identity gpu, GpuModel model, List<Reason> reasons) {
        if (!model.matchesName(gpu.name())) {
            reasons.add(new Reason("model.name", "The GPU calls itself '" + gpu.name() + "', which is not a " + model.name()
                    + " (expected a name containing " + String.join(" or ", model.deviceNames()) + ")"));
        }
        if (gpu.smCount() != model.smCount()) {
            reasons.add(new Reason("model.sms", "The GPU has " + gpu.smCount() + " SMs; a " + model.name() + " has " + model.smCount()));
        }
        if (!model.computeCapability().equals(gpu.computeCapability())) {
            reasons.add(new Reason("model.computeCapability", "The GPU has compute capability " + gpu.computeCapability()
                    + "; a " + model.name() + " has " + model.computeCapability()));
        }
        BigDecimal mib = BigDecimal.valueOf(gpu.totalMemoryBytes()).divide(MIB, 0, RoundingMode.HALF_EVEN);
        BigDecimal expected = BigDecimal.valueOf(model.memoryMib());
        if (mib.subtract(expected).abs().compareTo(expected.multiply(MEMORY_TOLERANCE)) > 0) {
            reasons.add(new Reason("model.memory", "The GPU has " + mib + " MiB of memory; a " + model.name() + " has "
                    + model.memoryMib() + " MiB"));
        }
    }

    private void checkFigures(GpuReport report, GpuModel model, List<Reason> reasons) {
        for (Figure figure : Figure.values()) {
            BigDecimal measured = figure.measured(report);
            BigDecimal reference = model.reference().of(figure);
            BigDecimal fraction = model.passFraction().of(figure);
            BigDecimal needed = reference.multiply(fraction).setScale(2, RoundingMode.HALF_EVEN);
            if (measured.compareTo(needed) < 0) {
                reasons.add(new Reason("figure." + figure.key(), figure.label() + " " + measured.toPlainString() + " " + figure.unit()
                        + " is under " + percent(fraction) + " of the " + model.name() + " reference " + reference.toPlainString()
                        + " " + figure.unit() + " (needs " + needed.toPlainString() + ")"));
            }
        }
    }

    private void checkPlausibility(GpuReport report, GpuModel model, List<Reason> reasons) {
        BigDecimal tolerance = rules.tolerance();
        GpuReport.Bandwidth bw = report.bandwidth();
        BigDecimal bandwidthLimit = model.reference().deviceBandwidthGbs().multiply(tolerance);
        for (var figure : List.of(new Named("copy kernel", bw.copyGbs()), new Named("triad kernel", bw.triadGbs()),
                new Named("cuMemcpyDtoD", bw.memcpyDtoDGbs()))) {
            if (figure.value().compareTo(bandwidthLimit) > 0) {
                reasons.add(new Reason("plausibility.bandwidth", "The " + figure.name() + " moved " + figure.value().toPlainString()
                        + " GB/s, more than a " + model.name() + "'s memory can (" + model.reference().deviceBandwidthGbs().toPlainString()
                        + " GB/s)"));
            }
        }
        for (Figure figure : List.of(Figure.HOST_TO_DEVICE, Figure.DEVICE_TO_HOST, Figure.BF16)) {
            BigDecimal limit = model.reference().of(figure).multiply(tolerance);
            if (figure.measured(report).compareTo(limit) > 0) {
                reasons.add(new Reason("plausibility." + figure.key(), figure.label() + " " + figure.measured(report).toPlainString()
                        + " " + figure.unit() + " is more than a " + model.name() + " can reach (" + model.reference().of(figure).toPlainString()
                        + " " + figure.unit() + ")"));
            }
        }
        BigDecimal peak = fp32Peak(report.gpu());
        BigDecimal fp32 = report.compute().fp32Tflops();
        if (fp32.compareTo(peak.multiply(tolerance)) > 0 || fp32.compareTo(model.reference().fp32Tflops().multiply(tolerance)) > 0) {
            reasons.add(new Reason("plausibility.fp32Tflops", "FP32 " + fp32.toPlainString() + " TFLOP/s is more than "
                    + report.gpu().smCount() + " SMs at " + report.gpu().clockMhz() + " MHz can do (" + peak.setScale(1, RoundingMode.HALF_EVEN)
                    + ") or than a " + model.name() + " can (" + model.reference().fp32Tflops().toPlainString() + ")"));
        }
        GpuReport.Integrity integrity = report.integrity();
        if (integrity.seconds().signum() <= 0) {
            reasons.add(new Reason("plausibility.integrity", "The memory test took no time"));
        } else {
            BigDecimal moved = BigDecimal.valueOf(integrity.testedBytes()).multiply(BigDecimal.valueOf(2L * integrity.patterns().size()));
            BigDecimal gbs = moved.divide(integrity.seconds(), MathContext.DECIMAL64).divide(GIGA, 2, RoundingMode.HALF_EVEN);
            if (gbs.compareTo(bandwidthLimit) > 0) {
                reasons.add(new Reason("plausibility.integrity", "The memory test wrote and read " + moved.divide(GIGA, 0, RoundingMode.HALF_EVEN)
                        + " GB in " + integrity.seconds().toPlainString() + " s, " + gbs.toPlainString() + " GB/s: faster than a "
                        + model.name() + "'s memory"));
            }
        }
        GpuReport.Stability stability = report.stability();
        if (stability.seconds().signum() <= 0) {
            reasons.add(new Reason("plausibility.stability", "The stability pass took no time"));
        } else {
            BigDecimal n = BigDecimal.valueOf(stability.matrixSize());
            BigDecimal tflops = n.pow(3).multiply(BigDecimal.valueOf(2L * stability.iterations()))
                    .divide(stability.seconds(), MathContext.DECIMAL64).divide(TERA, 2, RoundingMode.HALF_EVEN);
            if (tflops.compareTo(peak.multiply(tolerance)) > 0) {
                reasons.add(new Reason("plausibility.stability", stability.iterations() + " matrix products of size " + stability.matrixSize()
                        + " in " + stability.seconds().toPlainString() + " s is " + tflops.toPlainString()
                        + " TFLOP/s, more than this GPU's FP32 peak"));
            }
        }
    }

    private void checkHealth(GpuReport report, List<Reason> reasons) {
        GpuReport.Integrity integrity = report.integrity();
        if (integrity.errors() != 0) {
            reasons.add(new Reason("integrity", "The memory test found " + integrity.errors() + " words that did not read back as written"));
        }
        if (!GpuReport.INTEGRITY_PATTERNS.equals(integrity.patterns())) {
            reasons.add(new Reason("integrity.patterns", "The memory test ran " + integrity.patterns() + ", not " + GpuReport.INTEGRITY_PATTERNS));
        }
        BigDecimal free = BigDecimal.valueOf(integrity.freeBytes());
        BigDecimal tested = BigDecimal.valueOf(integrity.testedBytes());
        if (integrity.freeBytes() <= 0 || tested.compareTo(free.multiply(rules.minCoverage())) < 0 || integrity.testedBytes() > integrity.freeBytes()) {
            reasons.add(new Reason("integrity.coverage", "The memory test covered " + tested.toPlainString() + " of "
                    + free.toPlainString() + " free bytes; it must cover at least " + percent(rules.minCoverage())));
        }
        BigDecimal total = BigDecimal.valueOf(report.gpu().totalMemoryBytes());
        if (free.compareTo(total) > 0 || free.compareTo(total.multiply(MIN_FREE_SHARE)) < 0) {
            reasons.add(new Reason("integrity.free", "Only " + free.toPlainString() + " of the GPU's " + total.toPlainString()
                    + " bytes were free; certify an idle GPU (at least " + percent(MIN_FREE_SHARE) + " free)"));
        }
        GpuReport.Stability stability = report.stability();
        if (stability.mismatches() != 0) {
            reasons.add(new Reason("stability", stability.mismatches() + " words of repeated matrix products differed from the first result"));
        }
        if (!stability.freivaldsPassed() || stability.freivaldsRounds() < 1) {
            reasons.add(new Reason("stability.freivalds", "The GPU's matrix product failed Freivalds' check on the host"));
        }
        if (stability.seconds().compareTo(BigDecimal.valueOf(rules.minStabilitySeconds())) < 0) {
            reasons.add(new Reason("stability.duration", "The stability pass ran " + stability.seconds().toPlainString()
                    + " s; it must run at least " + rules.minStabilitySeconds() + " s"));
        }
    }

    private void checkDigests(GpuReport report, GpuModel model, byte[] seed, List<Reason> reasons) {
        GpuReport.Digests digests = report.digests();
        if (digests.matmulSize() != GpuReport.MATMUL_SIZE || digests.mmaSize() != GpuReport.MMA_SIZE) {
            reasons.add(new Reason("digest.sizes", "The digests are of " + digests.matmulSize() + " and " + digests.mmaSize()
                    + " matrices; the format fixes " + GpuReport.MATMUL_SIZE + " and " + GpuReport.MMA_SIZE));
        } else {
            if (!ReferenceMath.matmulDigest(seed, GpuReport.MATMUL_SIZE).equals(digests.matmulSha256())) {
                reasons.add(new Reason("digest.matmul", "The FP32 matrix product of the seeded inputs is not what this challenge's seed gives"));
            }
            if (!ReferenceMath.mmaDigest(seed, GpuReport.MMA_SIZE).equals(digests.mmaSha256())) {
                reasons.add(new Reason("digest.mma", "The bf16 tensor-core product of the seeded inputs is not what this challenge's seed gives"));
            }
        }
        int n = report.stability().matrixSize();
        if (n < MIN_STABILITY_SIZE || n > MAX_STABILITY_SIZE || n % 128 != 0) {
            reasons.add(new Reason("digest.sizes", "The stability matrices are " + n + " x " + n + "; the server checks sizes from "
                    + MIN_STABILITY_SIZE + " to " + MAX_STABILITY_SIZE + " in steps of 128"));
        } else if (!ReferenceMath.stabilityProjectionDigest(seed, n).equals(report.stability().projectionSha256())) {
            reasons.add(new Reason("digest.stability", "The stability pass's result C·v is not what A·(B·v) of this challenge's seed gives"));
        }
        long words = report.integrity().testedBytes() / 4;
        long bound = model == null ? 0 : (long) model.memoryMib() << 20;
        if (model != null && report.integrity().testedBytes() > 0 && report.integrity().testedBytes() <= bound
                && !ReferenceMath.integritySample(seed, words).equals(report.integrity().sampleXor())) {
            reasons.add(new Reason("digest.integrity", "The memory test's sample of the seeded pattern is not what this challenge's seed gives"));
        }
    }

    /** The FP32 peak of the reported SMs at the reported clock: 64 FMA lanes per SM on sm_80, 128 on later chips. */
    static BigDecimal fp32Peak(GpuReport.Identity gpu) {
        int lanes = "8.0".equals(gpu.computeCapability()) ? 64 : 128;
        return BigDecimal.valueOf((long) gpu.smCount() * lanes * 2L * gpu.clockMhz()).divide(BigDecimal.valueOf(1_000_000L), 3,
                RoundingMode.HALF_EVEN);
    }

    private static String percent(BigDecimal fraction) {
        return fraction.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    private record Named(String name, BigDecimal value) {
    }
}
