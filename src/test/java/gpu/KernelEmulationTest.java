package gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gpu.report.GpuReport;
import gpu.report.ReferenceMath;
import gpu.report.SeedStreams;
import gpu.report.SeedStreams.Stream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * suite.cu's kernels run on the CPU (src/test/cuda: every CUDA thread a std::thread, mma.sync
 * computed from the PTX fragment layout) where g++ exists, and must give exactly what the server
 * recomputes in Java: the seeded FP32 and bf16 products, the memory test's sample, and the copies,
 * triads and comparisons. This checks the kernels' indexing where no GPU is at hand; the GPU's own
 * arithmetic is checked by the CLI on every real run.
 */
class KernelEmulationTest {

    @TempDir
    Path work;

    @Test
    void theKernelsComputeWhatTheServerRecomputes() throws Exception {
        Path harness = work.resolve("harness");
        ExternalTool compile = ExternalTool.run("g++", "-std=c++20", "-O1", "-pthread", "-I", "src/test/cuda", "-I", "src/main/resources/gpu/kernels",
                "-x", "c++", "src/test/cuda/harness.cpp", "-o", harness.toString());
        assumeTrue(compile != null, "g++ is not on the PATH: the kernels are not emulated here");
        assertThat(compile.exitCode()).as("g++:\n" + compile.output()).isZero();

        byte[] seed = SeedStreams.parse(SeedStreams.newSeed(new SecureRandom()));
        long words = 3 * 65536 + 12345;
        ExternalTool emulated = ExternalTool.run(harness.toString(), work.toString(),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.MATMUL_A)), Long.toUnsignedString(SeedStreams.key(seed, Stream.MATMUL_B)),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.MMA_A)), Long.toUnsignedString(SeedStreams.key(seed, Stream.MMA_B)),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.INTEGRITY)), Long.toString(words));
        assertThat(emulated.exitCode()).as(emulated.output()).isZero();

        assertThat(ReferenceMath.digestOfFloats(floats(work.resolve("matmul.bin"))))
                .as("sgemm of the seeded inputs").isEqualTo(ReferenceMath.matmulDigest(seed, GpuReport.MATMUL_SIZE));
        assertThat(ReferenceMath.digestOfFloats(floats(work.resolve("mma.bin"))))
                .as("mma_gemm_bf16 of the seeded inputs").isEqualTo(ReferenceMath.mmaDigest(seed, GpuReport.MMA_SIZE));
        assertThat(emulated.output()).contains(
                "integrity errors=0 sample=" + ReferenceMath.integritySample(seed, words) + " broken=1",
                "copy ok", "triad ok", "diffs 2", "throughput kernels ok");
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
