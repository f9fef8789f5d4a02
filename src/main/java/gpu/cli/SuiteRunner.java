package gpu.cli;

import gpu.cuda.Cuda;
import gpu.cuda.CudaUnavailableException;
import gpu.cuda.Kernel;
import gpu.cuda.Suite;
import gpu.report.ReferenceMath;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import jcuda.CudaException;

/** Opens the GPU and runs the suite on it, with a progress bar on stderr. */
final class SuiteRunner {

    private SuiteRunner() {
    }

    /** The GPU, or a one-line failure with {@link ExitCode#NO_GPU} when this machine has none. */
    static Cuda open(int device) {
        try {
            return Cuda.open(device);
        } catch (CudaUnavailableException e) {
            throw new CliFailure(ExitCode.NO_GPU, e.getMessage());
        }
    }

    static Suite.Outcome run(Cuda cuda, Suite.Claim claim, Suite.Options options, PrintWriter err) {
        byte[] ptx = ptx();
        err.println("Certification run on GPU " + cuda.device().ordinal() + " (" + cuda.device().name() + ")");
        err.flush();
        try {
            return new Suite(cuda, options, new ProgressBar(err, System.console() != null), Clock.systemUTC())
                    .run(claim, version(), new String(ptx, StandardCharsets.US_ASCII), ReferenceMath.sha256(ptx));
        } catch (CudaException e) {
            throw new CliFailure(ExitCode.FAILED, "the GPU failed during the run: " + e.getMessage());
        }
    }

    static byte[] ptx() {
        try (InputStream in = SuiteRunner.class.getResourceAsStream(Kernel.PTX_RESOURCE)) {
            if (in == null) {
                throw new CliFailure(ExitCode.INTERNAL, Kernel.PTX_RESOURCE + " is missing from this build of bc-cli");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new CliFailure(ExitCode.INTERNAL, "cannot read the kernels: " + e.getMessage());
        }
    }

    /** The CLI's version from its jar's manifest ("dev" when run from classes). */
    static String version() {
        String version = SuiteRunner.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
