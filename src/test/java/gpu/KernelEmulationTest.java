package gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gpu.proof.ComputeRound;
import gpu.proof.MemoryRound;
import gpu.proof.TileTree;
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
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * suite.cu's kernels run on the CPU (src/test/cuda: every CUDA thread a std::thread, mma.sync
 * computed from the PTX fragment layout) where g++ exists, and must give exactly what the server
 * recomputes in Java: the seeded FP32 and bf16 products, the memory test's sample, the copies,
 * triads and comparisons, and proof of GPU's compute and memory rounds (their Merkle roots). This checks the kernels' indexing where no GPU is at hand; the GPU's own
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

        String seedHex = SeedStreams.newSeed(new SecureRandom());
        byte[] seed = SeedStreams.parse(seedHex);
        long words = 3 * 65536 + 12345;
        ExternalTool emulated = ExternalTool.run(harness.toString(), work.toString(),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.MATMUL_A)), Long.toUnsignedString(SeedStreams.key(seed, Stream.MATMUL_B)),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.MMA_A)), Long.toUnsignedString(SeedStreams.key(seed, Stream.MMA_B)),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.INTEGRITY)), Long.toString(words),
                Long.toUnsignedString(SeedStreams.key(seed, Stream.PROOF_A)), Long.toUnsignedString(SeedStreams.key(seed, Stream.PROOF_B)), seedHex);
        assertThat(emulated.exitCode()).as(emulated.output()).isZero();

        assertThat(ReferenceMath.digestOfFloats(floats(work.resolve("matmul.bin"))))
                .as("sgemm of the seeded inputs").isEqualTo(ReferenceMath.matmulDigest(seed, GpuReport.MATMUL_SIZE));
        assertThat(ReferenceMath.digestOfFloats(floats(work.resolve("mma.bin"))))
                .as("mma_gemm_bf16 of the seeded inputs").isEqualTo(ReferenceMath.mmaDigest(seed, GpuReport.MMA_SIZE));
        assertThat(emulated.output()).contains(
                "integrity errors=0 sample=" + ReferenceMath.integritySample(seed, words) + " broken=1",
                "copy ok", "triad ok", "diffs 2", "throughput kernels ok");

        // proof of GPU: the roots the server checks openings against, at harness.cpp's sizes
        ComputeRound.Size size = new ComputeRound.Size(256, 256, 512, 32);
        ComputeRound.Keys keys = ComputeRound.Keys.of(seed);
        byte[][] tiles = new byte[size.tiles()][];
        for (int t = 0; t < tiles.length; t++) {
            tiles[t] = TileTree.leaf(t, ComputeRound.tile(keys, size, t));
        }
        MemoryRound memory = new MemoryRound(seed, new MemoryRound.Params(1024, 4096, 4, 256, 64));
        byte[][] chains = new byte[256][];
        for (int c = 0; c < chains.length; c++) {
            chains[c] = MemoryRound.leaf(c, memory.chainFromCache(c));
        }
        assertThat(emulated.output()).contains(
                "proof compute root " + HexFormat.of().formatHex(TileTree.root(tiles)),
                "proof memory root " + HexFormat.of().formatHex(TileTree.root(chains)),
                "proof chain 17 " + HexFormat.of().formatHex(memory.chainFromCache(17)));
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(out);
        return out;
    }
}
