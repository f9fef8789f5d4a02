package gpu.cuda;

import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.SeedStreams;
import gpu.report.SeedStreams.Stream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;

/**
 * The certification suite on one GPU (docs/gpu-certification.md): identity, seeded correctness
 * checks, device memory bandwidth (tuned copy and triad kernels beside cuMemcpyDtoD), pinned
 * host-device bandwidth both ways, FP32 FMA and bf16 mma.sync throughput, a memory test over most
 * of the free memory, and a stability pass. Timings use CUDA events, after a warm-up, as the
 * median of several runs, on buffers far larger than L2.
 */
public final class Suite {

    /**
     * @param stabilitySeconds how long the stability pass repeats its matrix product
     * @param stabilitySize    the stability pass's matrix size (a multiple of 128, 1024 to 8192)
     * @param runs             timed runs per figure (the median is reported)
     * @param integrityShare   the share of free memory the memory test tries to take (at least 0.9 is required)
     */
    public record Options(long stabilitySeconds, int stabilitySize, int runs, double integrityShare) {

        public static final Options DEFAULT = new Options(20, 4096, 9, 0.95);

        public Options {
            if (stabilitySize < 1024 || stabilitySize > 8192 || stabilitySize % 128 != 0) {
                throw new IllegalArgumentException("the stability size must be a multiple of 128 from 1024 to 8192");
            }
            if (runs < 1 || stabilitySeconds < 1 || integrityShare < 0.9 || integrityShare > 0.99) {
                throw new IllegalArgumentException("runs and seconds must be positive and the memory share 0.9 to 0.99");
            }
        }
    }

    /** What the run found, and the checks the GPU failed on its own host (empty when it passed them all). */
    public record Outcome(GpuReport report, List<String> problems) {
    }

    /** Who and what the report is for; the seed's challenge. */
    public record Claim(String nonce, String seed, String operator, String model) {
    }

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    private static final int FREIVALDS_ROUNDS = 3;
    private static final float TARGET_KERNEL_MS = 40f;

    private final Cuda cuda;
    private final Options options;
    private final Progress progress;
    private final Clock clock;
    private final List<String> problems = new ArrayList<>();

    public Suite(Cuda cuda, Options options, Progress progress, Clock clock) {
        this.cuda = cuda;
        this.options = options;
        this.progress = progress;
        this.clock = clock;
    }

    public Outcome run(Claim claim, String toolVersion, String ptx, String kernelsSha256) {
        byte[] seed = SeedStreams.parse(claim.seed());
        String startedAt = clock.instant().toString();
        Cuda.Device d = cuda.device();

        progress.begin("identity");
        GpuReport.Identity identity = new GpuReport.Identity(d.name(), d.uuid(), d.pciBusId(), d.totalMemoryBytes(), d.smCount(),
                d.computeCapability(), d.clockMhz(), d.memoryClockMhz(), d.memoryBusWidthBits(), d.driverVersion());
        progress.end(d.name() + ", " + d.totalMemoryBytes() / MIB + " MiB, " + d.smCount() + " SMs, CC " + d.computeCapability()
                + ", driver " + d.driverVersion(), true);

        progress.begin("kernels");
        long t0 = System.nanoTime();
        cuda.load(ptx);
        progress.end("PTX JIT-compiled in " + (System.nanoTime() - t0) / 1_000_000 + " ms", true);

        GpuReport.Digests digests = digests(seed);
        GpuReport.Bandwidth bandwidth = bandwidth();
        GpuReport.Compute compute = new GpuReport.Compute(fp32(), bf16(), options.runs());
        GpuReport.Integrity integrity = integrity(seed);
        GpuReport.Stability stability = stability(seed);

        GpuReport report = new GpuReport(GpuReport.FORMAT, claim.operator(), claim.model(),
                new GpuReport.Challenge(claim.nonce(), claim.seed()), new GpuReport.Tool(toolVersion, kernelsSha256), identity,
                bandwidth, compute, integrity, stability, digests, startedAt, clock.instant().toString());
        return new Outcome(report, List.copyOf(problems));
    }

    // ------------------------------------------------------------------ seeded correctness checks

    private GpuReport.Digests digests(byte[] seed) {
        progress.begin("seeded checks");
        int n = GpuReport.MATMUL_SIZE;
        CUdeviceptr a = cuda.alloc(4L * n * n);
        CUdeviceptr b = cuda.alloc(4L * n * n);
        CUdeviceptr c = cuda.alloc(4L * n * n);
        String matmul;
        try {
            fill(Kernel.FILL_SMALL_INTS_F32, a, (long) n * n, SeedStreams.key(seed, Stream.MATMUL_A), ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
            fill(Kernel.FILL_SMALL_INTS_F32, b, (long) n * n, SeedStreams.key(seed, Stream.MATMUL_B), ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
            cuda.launch2d(Kernel.SGEMM, n / 128, n / 128, 256, a, b, c, n);
            matmul = ReferenceMath.digestOfFloats(cuda.downloadFloats(c, n * n));
        } finally {
            cuda.free(a);
            cuda.free(b);
            cuda.free(c);
        }
        progress.update(0.4);
        boolean matmulOk = matmul.equals(ReferenceMath.matmulDigest(seed, n));
        if (!matmulOk) {
            problems.add("the GPU's FP32 matrix product of the seeded inputs differs from the CPU's");
        }
        progress.update(0.6);

        int m = GpuReport.MMA_SIZE;
        CUdeviceptr a16 = cuda.alloc(2L * m * m);
        CUdeviceptr b16 = cuda.alloc(2L * m * m);
        CUdeviceptr c32 = cuda.alloc(4L * m * m);
        String mma;
        try {
            fill(Kernel.FILL_SMALL_INTS_BF16, a16, (long) m * m, SeedStreams.key(seed, Stream.MMA_A), ReferenceMath.BF16_MODULUS, ReferenceMath.BF16_OFFSET);
            fill(Kernel.FILL_SMALL_INTS_BF16, b16, (long) m * m, SeedStreams.key(seed, Stream.MMA_B), ReferenceMath.BF16_MODULUS, ReferenceMath.BF16_OFFSET);
            int warps = (m / 16) * (m / 8);
            cuda.launch(Kernel.MMA_GEMM_BF16, warps * 32 / 128, 128, a16, b16, c32, m, m, m);
            mma = ReferenceMath.digestOfFloats(cuda.downloadFloats(c32, m * m));
        } finally {
            cuda.free(a16);
            cuda.free(b16);
            cuda.free(c32);
        }
        boolean mmaOk = mma.equals(ReferenceMath.mmaDigest(seed, m));
        if (!mmaOk) {
            problems.add("the GPU's bf16 tensor-core product of the seeded inputs differs from the CPU's");
        }
        progress.end("FP32 product " + (matmulOk ? "matches" : "DIFFERS") + ", bf16 mma product " + (mmaOk ? "matches" : "DIFFERS"),
                matmulOk && mmaOk);
        return new GpuReport.Digests(n, matmul, m, mma);
    }

    private void fill(Kernel kernel, CUdeviceptr out, long count, long key, int modulus, int offset) {
        int blocks = (int) Math.min((count + 255) / 256, (long) cuda.device().smCount() * 8);
        cuda.launch(kernel, blocks, 256, out, count, key, modulus, offset);
    }

    // ------------------------------------------------------------------ bandwidth

    private record Config(Kernel kernel, int blocks, int threads) {
        @Override
        public String toString() {
            return kernel.entry() + " " + blocks + "x" + threads;
        }
    }

    private GpuReport.Bandwidth bandwidth() {
        progress.begin("bandwidth");
        long free = cuda.memoryInfo()[0];
        long bytes = Math.min(GIB, free / 8) / MIB * MIB;
        long n4 = bytes / 16;
        long pinnedBytes = Math.min(256 * MIB, bytes);
        CUdeviceptr a = cuda.alloc(bytes);
        CUdeviceptr b = cuda.alloc(bytes);
        CUdeviceptr c = cuda.alloc(bytes);
        Pointer pinned = null;
        try {
            cuda.zero(a, bytes);
            cuda.zero(b, bytes);
            cuda.zero(c, bytes);
            List<Config> copies = configs(Kernel.COPY_U1, Kernel.COPY_U4, Kernel.COPY_U4_CS);
            List<Config> triads = configs(Kernel.TRIAD_U1, Kernel.TRIAD_U2);
            int steps = copies.size() + triads.size() + 4;
            int[] step = {0};
            Config bestCopy = tune(copies, cfg -> gbs(2 * bytes, () -> cuda.launch(cfg.kernel(), cfg.blocks(), cfg.threads(), b, a, n4), 3),
                    step, steps);
            double copy = gbs(2 * bytes, () -> cuda.launch(bestCopy.kernel(), bestCopy.blocks(), bestCopy.threads(), b, a, n4), options.runs());
            Config bestTriad = tune(triads, cfg -> gbs(3 * bytes,
                    () -> cuda.launch(cfg.kernel(), cfg.blocks(), cfg.threads(), a, b, c, 1.5f, n4), 3), step, steps);
            double triad = gbs(3 * bytes, () -> cuda.launch(bestTriad.kernel(), bestTriad.blocks(), bestTriad.threads(), a, b, c, 1.5f, n4),
                    options.runs());
            progress.update((double) (++step[0]) / steps);
            double dtod = gbs(2 * bytes, () -> cuda.copyDeviceToDevice(b, a, bytes), options.runs());
            progress.update((double) (++step[0]) / steps);

            pinned = cuda.allocPinned(pinnedBytes);
            Pointer host = pinned;
            double h2d = gbs(pinnedBytes, () -> cuda.copyHostToDevice(a, host, pinnedBytes), options.runs());
            progress.update((double) (++step[0]) / steps);
            double d2h = gbs(pinnedBytes, () -> cuda.copyDeviceToHost(host, a, pinnedBytes), options.runs());
            progress.end(String.format("copy %.1f GB/s (%s), triad %.1f GB/s, cuMemcpyDtoD %.1f GB/s; pinned H2D %.1f, D2H %.1f GB/s",
                    copy, bestCopy, triad, dtod, h2d, d2h), true);
            return new GpuReport.Bandwidth(bytes, bestCopy.toString(), decimal(copy), decimal(triad), decimal(dtod), pinnedBytes,
                    decimal(h2d), decimal(d2h), options.runs());
        } finally {
            cuda.freePinned(pinned);
            cuda.free(a);
            cuda.free(b);
            cuda.free(c);
        }
    }

    private List<Config> configs(Kernel... kernels) {
        int sms = cuda.device().smCount();
        List<Config> out = new ArrayList<>();
        for (Kernel kernel : kernels) {
            for (int threads : new int[] {256, 512, 1024}) {
                for (int perSm : new int[] {1, 2, 4, 8, 16, 32}) {
                    if (threads * perSm <= 32 * 1024) {
                        out.add(new Config(kernel, sms * perSm, threads));
                    }
                }
            }
        }
        return out;
    }

    private Config tune(List<Config> configs, java.util.function.ToDoubleFunction<Config> measure, int[] step, int steps) {
        Config best = null;
        double bestGbs = -1;
        for (Config config : configs) {
            double gbs = measure.applyAsDouble(config);
            if (gbs > bestGbs) {
                bestGbs = gbs;
                best = config;
            }
            progress.update((double) (++step[0]) / steps);
        }
        return best;
    }

    /** GB/s (10^9 bytes/s) of {@code work} moving {@code bytes}: one warm-up, then the median of {@code runs}. */
    private double gbs(long bytes, Runnable work, int runs) {
        float ms = medianMs(work, runs);
        return bytes / (ms / 1000.0) / 1e9;
    }

    private float medianMs(Runnable work, int runs) {
        cuda.time(work);
        float[] times = new float[runs];
        for (int i = 0; i < runs; i++) {
            times[i] = cuda.time(work);
        }
        Arrays.sort(times);
        return runs % 2 == 1 ? times[runs / 2] : (times[runs / 2 - 1] + times[runs / 2]) / 2;
    }

    // ------------------------------------------------------------------ compute throughput

    private BigDecimal fp32() {
        progress.begin("fp32");
        int threads = 256;
        int blocks = cuda.device().smCount() * Math.max(1, cuda.device().maxThreadsPerSm() / threads);
        long total = (long) blocks * threads;
        CUdeviceptr out = cuda.alloc(4 * total);
        try {
            IntFunction<Runnable> launch = it -> () -> cuda.launch(Kernel.FMA_FP32, blocks, threads, out, it, 0.9999f, 0.0001f);
            int iterations = calibrate(launch);
            progress.update(0.3);
            float ms = medianMs(launch.apply(iterations), options.runs());
            double tflops = total * (double) iterations * 256 / (ms / 1000.0) / 1e12;
            progress.end(String.format("%.1f TFLOP/s (%d SMs x %d threads)", tflops, cuda.device().smCount(), blocks * threads
                    / cuda.device().smCount()), true);
            return decimal(tflops);
        } finally {
            cuda.free(out);
        }
    }

    private BigDecimal bf16() {
        progress.begin("bf16 mma");
        int threads = 256;
        int blocks = cuda.device().smCount() * 4;
        long warps = (long) blocks * threads / 32;
        CUdeviceptr out = cuda.alloc(4L * blocks * threads);
        try {
            IntFunction<Runnable> launch = it -> () -> cuda.launch(Kernel.MMA_BF16, blocks, threads, out, it, 0x3D803D80, 0x3D803D80);
            int iterations = calibrate(launch);
            progress.update(0.3);
            float ms = medianMs(launch.apply(iterations), options.runs());
            double tflops = warps * (double) iterations * 8 * 4096 / (ms / 1000.0) / 1e12;
            progress.end(String.format("%.1f TFLOP/s (mma.sync m16n8k16, fp32 accumulate)", tflops), true);
            return decimal(tflops);
        } finally {
            cuda.free(out);
        }
    }

    /** Iterations that make one launch take about {@link #TARGET_KERNEL_MS}. */
    private int calibrate(IntFunction<Runnable> launch) {
        int iterations = 64;
        float ms = cuda.time(launch.apply(iterations));
        while (ms < 5 && iterations < (1 << 24)) {
            iterations *= 4;
            ms = cuda.time(launch.apply(iterations));
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE / 2, (long) (iterations * (TARGET_KERNEL_MS / Math.max(ms, 0.001f)))));
    }

    // ------------------------------------------------------------------ memory integrity

    private GpuReport.Integrity integrity(byte[] seed) {
        progress.begin("memory test");
        long free = cuda.memoryInfo()[0];
        long minimum = (long) Math.ceil(free * 0.9);
        long bytes = (long) (free * options.integrityShare()) / (2 * MIB) * (2 * MIB);
        CUdeviceptr mem = null;
        while (mem == null && bytes >= minimum) {
            try {
                mem = cuda.alloc(bytes);
            } catch (CudaException e) {
                bytes = (bytes - free / 100) / (2 * MIB) * (2 * MIB);
            }
        }
        if (mem == null) {
            problems.add("could not allocate 90 % of the free memory for the memory test");
            progress.end("could not allocate 90 % of " + free / MIB + " MiB free", false);
            return new GpuReport.Integrity(free, 0, GpuReport.INTEGRITY_PATTERNS, 0, BigDecimal.ZERO, ReferenceMath.hex32(0));
        }
        CUdeviceptr errors = cuda.alloc(8);
        CUdeviceptr sample = cuda.alloc(4);
        CUdeviceptr ignored = cuda.alloc(4);
        try {
            cuda.zero(errors, 8);
            cuda.zero(sample, 4);
            long words = bytes / 4;
            long key = SeedStreams.key(seed, Stream.INTEGRITY);
            int blocks = cuda.device().smCount() * 8;
            int patterns = GpuReport.INTEGRITY_PATTERNS.size();
            long start = System.nanoTime();
            for (int p = 0; p < patterns; p++) {
                cuda.launch(Kernel.PATTERN_WRITE, blocks, 256, mem, words, p, key);
                cuda.launch(Kernel.PATTERN_CHECK, blocks, 256, mem, words, p, key, errors,
                        GpuReport.INTEGRITY_PATTERNS.get(p).equals("random") ? sample : ignored);
                cuda.synchronize();
                progress.update((p + 1.0) / patterns);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long bad = cuda.downloadLong(errors);
            String sampleXor = ReferenceMath.hex32(cuda.downloadInt(sample));
            if (bad != 0) {
                problems.add(bad + " words of GPU memory did not read back as written");
            }
            progress.end(String.format("%d MiB of %d MiB free (%.1f %%), %d patterns, %d errors, %.2f s", bytes / MIB, free / MIB,
                    100.0 * bytes / free, patterns, bad, seconds), bad == 0);
            return new GpuReport.Integrity(free, bytes, GpuReport.INTEGRITY_PATTERNS, bad, decimal(seconds), sampleXor);
        } finally {
            cuda.free(ignored);
            cuda.free(sample);
            cuda.free(errors);
            cuda.free(mem);
        }
    }

    // ------------------------------------------------------------------ stability

    private GpuReport.Stability stability(byte[] seed) {
        progress.begin("stability");
        int n = options.stabilitySize();
        long count = (long) n * n;
        CUdeviceptr a = cuda.alloc(4 * count);
        CUdeviceptr b = cuda.alloc(4 * count);
        CUdeviceptr c = cuda.alloc(4 * count);
        CUdeviceptr first = cuda.alloc(4 * count);
        CUdeviceptr diffs = cuda.alloc(8);
        try {
            fill(Kernel.FILL_SMALL_INTS_F32, a, count, SeedStreams.key(seed, Stream.STABILITY_A), ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
            fill(Kernel.FILL_SMALL_INTS_F32, b, count, SeedStreams.key(seed, Stream.STABILITY_B), ReferenceMath.F32_MODULUS, ReferenceMath.F32_OFFSET);
            cuda.zero(diffs, 8);
            cuda.synchronize();
            int compareBlocks = cuda.device().smCount() * 8;
            long budget = options.stabilitySeconds() * 1_000_000_000L;
            long start = System.nanoTime();
            cuda.launch2d(Kernel.SGEMM, n / 128, n / 128, 256, a, b, first, n);
            cuda.synchronize();
            long iterations = 1;
            long elapsed;
            while ((elapsed = System.nanoTime() - start) < budget) {
                cuda.launch2d(Kernel.SGEMM, n / 128, n / 128, 256, a, b, c, n);
                cuda.launch(Kernel.COUNT_DIFF, compareBlocks, 256, c, first, count, diffs);
                cuda.synchronize();
                iterations++;
                progress.update(Math.min(0.95, 0.95 * elapsed / budget));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long mismatches = cuda.downloadLong(diffs);
            float[] result = cuda.downloadFloats(first, (int) count);
            boolean freivalds = ReferenceMath.freivalds(seed, result, n, FREIVALDS_ROUNDS);
            String projection = ReferenceMath.digestOfLongs(ReferenceMath.times(result, n, ReferenceMath.vector(seed, n, -1)));
            if (mismatches != 0) {
                problems.add(mismatches + " words of repeated matrix products differed from the first result");
            }
            if (!freivalds) {
                problems.add("the GPU's matrix product failed Freivalds' check on the host");
            }
            progress.end(String.format("%d products of %dx%d in %.1f s, %d mismatches, Freivalds %s", iterations, n, n, seconds,
                    mismatches, freivalds ? "passed" : "FAILED"), mismatches == 0 && freivalds);
            return new GpuReport.Stability(n, decimal(seconds), iterations, mismatches, FREIVALDS_ROUNDS, freivalds, projection);
        } finally {
            cuda.free(diffs);
            cuda.free(first);
            cuda.free(c);
            cuda.free(b);
            cuda.free(a);
        }
    }

    private static BigDecimal decimal(double value) {
        return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN);
    }
}
