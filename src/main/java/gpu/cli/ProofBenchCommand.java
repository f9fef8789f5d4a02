package gpu.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import gpu.cuda.Cuda;
import gpu.cuda.GpuProver;
import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.Openings;
import gpu.proof.Prover;
import gpu.proof.RoundSizing;
import gpu.report.ReportJson;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import jcuda.driver.CUdeviceptr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Proof of GPU on this GPU, without a server (docs/gpu-certification.md, "Calibrating a model"):
 * first a small round of each kind whose openings must pass the server's own checks, then a compute
 * and a memory round at full size, timed on the host's clock as the server times them and checked
 * the same way. Prints the figures an admin calibrates the model with ({@code proof} in
 * {@code PUT /api/gpu/models/{id}}). bench/gpu-device.sh runs it on a lent GPU.
 */
@Command(name = "proof-bench", mixinStandardHelpOptions = true, usageHelpWidth = 110,
        description = {"Checks this GPU's proof-of-GPU kernels against the server's checks, then times a full compute round and"
                + " memory round and prints the figures that calibrate its model (the 'proof' figures of PUT /api/gpu/models/{id})."})
final class ProofBenchCommand implements Callable<Integer> {

    /** The self-check's rounds: small enough for a second of work, the shapes of real ones. */
    static final ComputeRound.Size SMALL_COMPUTE = new ComputeRound.Size(256, 256, 512, RoundSizing.TILE);
    static final MemoryRound.Params SMALL_MEMORY = new MemoryRound.Params(1024, 4096, RoundSizing.PARENTS, 256, RoundSizing.READS);

    @Spec
    CommandSpec spec;

    @Option(names = "--device", paramLabel = "N", defaultValue = "0", description = "Which GPU, numbered from 0 (default: 0)")
    int device;

    @Option(names = "--k", paramLabel = "K", defaultValue = "16384",
            description = "The timed compute round is 16384 x 16384 x K, K a multiple of 256 up to 131072 (default: 16384)")
    int k;

    @Option(names = "--memory-share", paramLabel = "F", defaultValue = "0.9",
            description = "The timed memory round's dataset fills this share of the free memory, 0.05 to 0.9 (default: 0.9)")
    double memoryShare;

    @Override
    public Integer call() {
        if (k < 256 || k > (1 << 17) || k % 256 != 0) {
            throw new CliFailure(ExitCode.USAGE, "--k is a multiple of 256 from 256 to 131072, not " + k);
        }
        if (!(memoryShare >= 0.05 && memoryShare <= 0.9)) {
            throw new CliFailure(ExitCode.USAGE, "--memory-share is from 0.05 to 0.9, not " + memoryShare);
        }
        PrintWriter out = spec.commandLine().getOut();
        try (Cuda cuda = SuiteRunner.open(device)) {
            cuda.load(new String(SuiteRunner.ptx(), StandardCharsets.US_ASCII));
            Prover gpu = new GpuProver(cuda);
            Optional<String> wrong = selfCheck(gpu);
            if (wrong.isPresent()) {
                out.println(ReportJson.pretty(ReportJson.mapper().createObjectNode().put("selfCheck", wrong.get())));
                out.flush();
                return ExitCode.FAILED;
            }
            long items = (long) (cuda.memoryInfo()[0] * memoryShare) / MemoryRound.ITEM_BYTES;
            MemoryRound.Params memory = new MemoryRound.Params(RoundSizing.CACHE_ITEMS, items, RoundSizing.PARENTS,
                    Long.highestOneBit(Math.max(1, items / 64)), RoundSizing.READS);
            Figures figures = measure(gpu, new ComputeRound.Size(16384, 16384, k, RoundSizing.TILE), memory, copyGbs(cuda));
            Cuda.Device d = cuda.device();
            out.println(ReportJson.pretty(figures.json(d.name() + ", driver " + d.driverVersion() + ", bc-cli proof-bench")));
            out.flush();
            return figures.checked().isEmpty() ? ExitCode.OK : ExitCode.FAILED;
        }
    }

    /** The small rounds, answered by {@code prover} and checked as the server checks them; empty when both pass. */
    static Optional<String> selfCheck(Prover prover) {
        return measure(prover, SMALL_COMPUTE, SMALL_MEMORY, 0).checked();
    }

    /** What a full-size run measured, each round timed from the call to its root. */
    record Figures(ComputeRound.Size compute, double computeSeconds, MemoryRound.Params memory, double memorySeconds,
                   double copyGbs, Optional<String> checked) {

        double bf16Tflops() {
            return 2 * compute.multiplyAdds() / computeSeconds / 1e12;
        }

        /** Every SHA-256 compression of the round in RoundSizing's count, as if hashing took all the time (the slowest reading). */
        double sha256Mhs() {
            double reads = (double) memory.chains() * memory.reads();
            double compressions = memory.datasetItems() * (2.0 * memory.parents() + 3) + 2 * reads + 2.0 * memory.chains();
            return compressions / memorySeconds / 1e6;
        }

        ObjectNode json(String measuredOn) {
            ObjectNode root = ReportJson.mapper().createObjectNode();
            root.put("selfCheck", "ok");
            root.put("checked", checked.orElse("ok"));
            root.putObject("compute").put("m", compute.m()).put("n", compute.n()).put("k", compute.k())
                    .put("seconds", computeSeconds).put("bf16Tflops", bf16Tflops());
            root.putObject("memory").put("datasetItems", memory.datasetItems()).put("chains", memory.chains())
                    .put("seconds", memorySeconds).put("sha256Mhs", sha256Mhs());
            root.putObject("proof").put("bf16Tflops", round(bf16Tflops(), 6)).put("deviceBandwidthGbs", round(copyGbs, 2))
                    .put("sha256Mhs", round(sha256Mhs(), 2)).put("measuredOn", measuredOn);
            return root;
        }

        private static java.math.BigDecimal round(double value, int scale) {
            return java.math.BigDecimal.valueOf(value).setScale(scale, java.math.RoundingMode.HALF_EVEN);
        }
    }

    /** Times a compute and a memory round with {@code prover} and checks both as the server would. */
    static Figures measure(Prover prover, ComputeRound.Size compute, MemoryRound.Params memory, double copyGbs) {
        byte[] seed = seed();
        long start = System.nanoTime();
        Optional<String> wrong;
        double computeSeconds;
        try (Prover.ComputeCommitment committed = prover.compute(seed, compute)) {
            byte[] root = committed.root();
            computeSeconds = (System.nanoTime() - start) / 1e9;
            wrong = checkOpenings(committed, root, seed, compute);
        }
        byte[] memorySeed = seed();
        start = System.nanoTime();
        double memorySeconds;
        try (Prover.MemoryCommitment committed = prover.memory(memorySeed, memory)) {
            byte[] root = committed.root();
            memorySeconds = (System.nanoTime() - start) / 1e9;
            Optional<String> memoryWrong = checkChains(committed, root, memorySeed, memory);
            wrong = wrong.or(() -> memoryWrong);
        }
        return new Figures(compute, computeSeconds, memory, memorySeconds, copyGbs, wrong);
    }

    private static Optional<String> checkOpenings(Prover.ComputeCommitment committed, byte[] root, byte[] seed, ComputeRound.Size size) {
        List<Openings.Entry> named = Openings.choose(size, Openings.PER_ROUND, new SplittableRandom());
        return Openings.check(ComputeRound.Keys.of(seed), size, root, named, named.stream().map(committed::open).toList())
                .map(why -> "compute round " + size + ": " + why);
    }

    private static Optional<String> checkChains(Prover.MemoryCommitment committed, byte[] root, byte[] seed, MemoryRound.Params params) {
        SplittableRandom random = new SplittableRandom();
        List<Long> named = new ArrayList<>();
        for (int i = 0; i < Openings.PER_ROUND; i++) {
            named.add(random.nextLong(params.chains()));
        }
        return new MemoryRound(seed, params).check(root, named, named.stream().map(committed::open).toList())
                .map(why -> "memory round of " + params.datasetItems() + " items: " + why);
    }

    /** The device copy's bandwidth, bytes read plus written, over 1 GiB: the model's device figure. */
    private static double copyGbs(Cuda cuda) {
        long bytes = 1L << 30;
        CUdeviceptr a = cuda.alloc(bytes);
        CUdeviceptr b = cuda.alloc(bytes);
        try {
            cuda.copyDeviceToDevice(b, a, bytes);
            float ms = Float.MAX_VALUE;
            for (int run = 0; run < 5; run++) {
                ms = Math.min(ms, cuda.time(() -> cuda.copyDeviceToDevice(b, a, bytes)));
            }
            return 2.0 * bytes / (ms / 1e3) / 1e9;
        } finally {
            cuda.free(a);
            cuda.free(b);
        }
    }

    private static byte[] seed() {
        byte[] seed = new byte[32];
        new SecureRandom().nextBytes(seed);
        return seed;
    }
}
