package gpu.cli;

import gpu.cuda.Suite;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options that several commands share. */
final class Options {

    private Options() {
    }

    /** Where the server is and how to authenticate to it. */
    static final class Server {
        @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:BC_SERVER}",
                description = "The Berkeley Compute server, e.g. https://compute.example.org (default: $BC_SERVER)")
        String url;

        @Option(names = "--api-key", paramLabel = "KEY", defaultValue = "${env:BC_API_KEY}",
                description = "An API key (bck_...) from your account page (default: $BC_API_KEY)")
        String apiKey;

        boolean given() {
            return url != null && !url.isBlank();
        }

        ServerClient client() {
            return new ServerClient(url, apiKey);
        }
    }

    /** How the suite runs and who signs its report. */
    static final class Run {
        @Option(names = "--device", paramLabel = "N", defaultValue = "0", description = "Which GPU to test, numbered from 0 (default: 0)")
        int device;

        @Option(names = "--model", paramLabel = "ID", description = "The model to certify as (see the server's GET /api/gpu/models);"
                + " certify finds it from the GPU's name when omitted")
        String model;

        @Option(names = "--key-file", paramLabel = "FILE", defaultValue = "${env:BC_GPU_KEY_FILE}",
                description = "The key that signs the report: a host key registered on the server, or the operator's"
                        + " wallet key (default: $BC_GPU_KEY_FILE)")
        Path keyFile;

        @Option(names = "--stability-seconds", paramLabel = "S", defaultValue = "20",
                description = "How long the stability pass runs (default: 20; the server's minimum applies)")
        long stabilitySeconds;

        @Option(names = "--stability-size", paramLabel = "N", defaultValue = "4096",
                description = "The stability pass's matrix size, a multiple of 128 from 1024 to 8192 (default: 4096)")
        int stabilitySize;

        @Option(names = "--runs", paramLabel = "N", defaultValue = "9", description = "Timed runs per figure; the median counts (default: 9)")
        int runs;

        @Option(names = "--json", description = "Print JSON on stdout instead of the tables")
        boolean json;

        Suite.Options suiteOptions(long minimumStabilitySeconds) {
            try {
                return new Suite.Options(Math.max(stabilitySeconds, minimumStabilitySeconds), stabilitySize, runs,
                        Suite.Options.DEFAULT.integrityShare());
            } catch (IllegalArgumentException e) {
                throw new CliFailure(ExitCode.USAGE, e.getMessage());
            }
        }
    }
}
