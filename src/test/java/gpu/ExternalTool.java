package gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a tool of this machine (nvcc, ptxas, g++, …) for the kernel tests; output and errors together. */
record ExternalTool(int exitCode, String output) {

    /** The tool's result, or null when it is not installed here. */
    static ExternalTool run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        return new ExternalTool(process.exitValue(), output);
    }
}
