package gpu.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The test's workload runtime: src/test/resources/agent/fake-runtime.sh copied into a directory of
 * the test's own, where it keeps one state file per lease (first line "running" or "stopped", then
 * the facts it was started with).
 */
public record FakeRuntime(Path script) {

    public static FakeRuntime in(Path dir) {
        Path script = dir.resolve("fake-runtime.sh");
        try (InputStream source = FakeRuntime.class.getResourceAsStream("/agent/fake-runtime.sh")) {
            Files.copy(source, script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!script.toFile().setExecutable(true)) {
            throw new IllegalStateException("cannot make " + script + " executable");
        }
        return new FakeRuntime(script);
    }

    /** The {@code --runtime} option that runs it. */
    public String option() {
        return "exec:" + script;
    }

    /** The state file of a lease, if the script was ever started for it. */
    public Optional<String> state(String leaseId) {
        Path file = script.resolveSibling("state").resolve(leaseId);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
