package gpu.cli;

import gpu.cuda.Cuda;
import gpu.cuda.CudaUnavailableException;
import gpu.cuda.GpuProver;
import gpu.proof.Prover;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The provers of a proof session's GPUs, by UUID, held for the session and released after it. */
interface Provers extends AutoCloseable {

    Prover forGpu(String uuid);

    @Override
    void close();

    /** This host's GPUs through the NVIDIA driver, each opened on first use with the kernels loaded. */
    static Provers gpus() {
        return new Provers() {
            private final Map<String, Cuda> open = new HashMap<>();

            @Override
            public Prover forGpu(String uuid) {
                return new GpuProver(open.computeIfAbsent(uuid, this::openGpu));
            }

            private Cuda openGpu(String uuid) {
                try {
                    Cuda.Device device = Cuda.devices().stream().filter(d -> d.uuid().equals(uuid)).findFirst()
                            .orElseThrow(() -> new CliFailure(ExitCode.USAGE, "the GPU " + uuid + " is not on this host"));
                    Cuda cuda = Cuda.open(device.ordinal());
                    cuda.load(new String(SuiteRunner.ptx(), StandardCharsets.US_ASCII));
                    return cuda;
                } catch (CudaUnavailableException e) {
                    throw new CliFailure(ExitCode.NO_GPU, e.getMessage());
                }
            }

            @Override
            public void close() {
                open.values().forEach(Cuda::close);
                open.clear();
            }
        };
    }
}
