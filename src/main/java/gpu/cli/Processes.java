package gpu.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a program with an argument list (never through a shell) and a given environment (nothing
 * of the agent's own, such as its API key, gets through unless named), keeping at most
 * {@link #MAX_OUTPUT} bytes of each output stream; one that runs past its timeout is killed.
 */
final class Processes {

    static final int MAX_OUTPUT = 64 * 1024;

    /** What a program did: its exit status (-1 when killed at the timeout) and what it printed. */
    record Result(int exit, String out, String err) {

        boolean ok() {
            return exit == 0;
        }

        /** The last non-blank line of stderr, else of stdout, at most 200 characters with no control characters: a short reason. */
        String reason() {
            String line = lastLine(err);
            line = line.isEmpty() ? lastLine(out) : line;
            line = line.replaceAll("\\p{Cntrl}", " ").strip();
            return line.length() > 200 ? line.substring(0, 200) : line;
        }

        static String lastLine(String text) {
            List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }
    }

    private Processes() {
    }

    /**
     * Runs {@code command} with exactly {@code env} plus PATH, HOME and LANG from the agent's own
     * environment; throws {@link IOException} when the program cannot be started at all.
     */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.clear();
        for (String inherited : List.of("PATH", "HOME", "LANG", "DOCKER_HOST", "DOCKER_CONFIG")) {
            String value = System.getenv(inherited);
            if (value != null) {
                environment.put(inherited, value);
            }
        }
        environment.putAll(env);
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                return new Result(-1, out.getNow(""), "timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command.subList(0, Math.min(2, command.size()))));
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** {@link #run}, with a program that cannot be started answered as a failed result saying why. */
    static Result attempt(List<String> command, Map<String, String> env, Duration timeout) {
        try {
            return run(command, env, timeout);
        } catch (IOException e) {
            return new Result(-1, "", "cannot run " + command.get(0) + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
    }

    /** Reads a stream to its end, keeping its first {@link #MAX_OUTPUT} bytes. */
    private static String read(InputStream stream) {
        try (stream) {
            byte[] kept = stream.readNBytes(MAX_OUTPUT);
            stream.transferTo(java.io.OutputStream.nullOutputStream());
            return new String(kept, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
