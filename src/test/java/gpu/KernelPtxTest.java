package gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import gpu.cuda.Kernel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed PTX is what its CUDA source compiles to. Where nvcc is on the PATH the test
 * regenerates it ({@code nvcc -ptx -arch=compute_80 -O3}, then {@code .version} lowered to 7.0) and
 * compares, ignoring the header comments that carry the toolkit's version; with
 * {@code -Dbc.ptx.update=true} it writes the regenerated PTX instead. Where ptxas is there too, the
 * PTX must assemble for every architecture from Ampere to Blackwell.
 */
class KernelPtxTest {

    static final Path KERNELS = Path.of("src", "main", "resources", "gpu", "kernels");
    static final Path SOURCE = KERNELS.resolve("suite.cu");
    static final Path PTX = KERNELS.resolve("suite.ptx");
    /** The PTX ISA the committed file declares: CUDA 11.0's, the first with sm_80 and bf16 mma.sync. */
    static final String PTX_VERSION = ".version 7.0";

    @TempDir
    Path work;

    @Test
    void theCommittedPtxIsWhatTheSourceCompilesTo() throws Exception {
        Path generated = work.resolve("suite.ptx");
        ExternalTool nvcc = ExternalTool.run("nvcc", "-ptx", "-arch=compute_80", "-O3", SOURCE.toString(), "-o", generated.toString());
        assumeTrue(nvcc != null, "nvcc is not on the PATH: the PTX is not regenerated here");
        assertThat(nvcc.exitCode()).as("nvcc failed:\n" + nvcc.output()).isZero();
        String fresh = lowerVersion(Files.readString(generated, StandardCharsets.US_ASCII));
        if (Boolean.getBoolean("bc.ptx.update")) {
            Files.writeString(PTX, fresh, StandardCharsets.US_ASCII);
        }
        assertThat(withoutHeaderComments(Files.readString(PTX, StandardCharsets.US_ASCII)))
                .as("src/main/resources/gpu/kernels/suite.ptx is stale: regenerate it with"
                        + " ./mvnw test -Dtest=KernelPtxTest -Dbc.ptx.update=true")
                .isEqualTo(withoutHeaderComments(fresh));
    }

    @Test
    void thePtxTargetsAmpereWithAnIsaEveryCurrentDriverReads() throws IOException {
        String ptx = Files.readString(PTX, StandardCharsets.US_ASCII);
        assertThat(ptx.lines()).contains(PTX_VERSION, ".target sm_80", ".address_size 64");
        for (Kernel kernel : Kernel.values()) {
            assertThat(ptx).as("entry " + kernel.entry()).contains(".entry " + kernel.entry() + "(");
        }
    }

    @Test
    void thePtxAssemblesForAmpereAdaHopperAndBlackwell() throws Exception {
        for (String arch : List.of("sm_80", "sm_86", "sm_89", "sm_90", "sm_100", "sm_120")) {
            ExternalTool ptxas = ExternalTool.run("ptxas", "-arch=" + arch, PTX.toString(), "-o", work.resolve(arch + ".cubin").toString());
            assumeTrue(ptxas != null, "ptxas is not on the PATH");
            assertThat(ptxas.exitCode()).as("ptxas -arch=" + arch + ":\n" + ptxas.output()).isZero();
        }
    }

    /** nvcc writes the newest ISA it knows; the kernels need only 7.0's, which older drivers also JIT. */
    static String lowerVersion(String ptx) {
        return ptx.replaceFirst("(?m)^\\.version [0-9.]+$", PTX_VERSION);
    }

    /** The PTX without the comment lines before the first directive (tool versions, build ids). */
    static String withoutHeaderComments(String ptx) {
        List<String> lines = new ArrayList<>(ptx.lines().toList());
        while (!lines.isEmpty() && (lines.get(0).startsWith("//") || lines.get(0).isBlank())) {
            lines.remove(0);
        }
        return String.join("\n", lines);
    }
}
