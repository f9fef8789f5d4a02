package chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The local chain the app runs when no external one is configured: anvil, with its state in
 * {@code <data-dir>/chain/anvil-state.json}, written every {@code bc.chain.anvil-state-interval}
 * and on a clean stop, and loaded on the next start. Like PostgreSQL, anvil outlives a JVM that is
 * killed; the next start finds it through its pid file and stops it (SIGTERM: it writes its state)
 * before starting again.
 */
final class EmbeddedChain implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedChain.class);

    private final Process process;
    private final int port;
    private final Path pidFile;

    private EmbeddedChain(Process process, int port, Path pidFile) {
        this.process = process;
        this.port = port;
        this.pidFile = pidFile;
    }

    static EmbeddedChain start(Path anvil, Path dataDir, long chainId, int requestedPort, Duration stateInterval) {
        Path dir = dataDir.resolve("chain");
        Path pidFile = dir.resolve("anvil.pid");
        try {
            Files.createDirectories(dir);
            if (!Files.isExecutable(anvil)) {
                throw new IllegalStateException("The embedded chain needs anvil at " + anvil.toAbsolutePath()
                        + " (run 'npm ci' in contracts/, or set BC_ANVIL); or configure an external chain with BC_CHAIN_RPC");
            }
            stopOrphan(pidFile);
            int port = requestedPort == 0 ? freePort() : requestedPort;
            List<String> command = List.of(anvil.toString(),
                    "--host", "127.0.0.1",
                    "--port", String.valueOf(port),
                    "--chain-id", String.valueOf(chainId),
                    "--state", dir.resolve("anvil-state.json").toString(),
                    "--state-interval", String.valueOf(Math.max(1, stateInterval.toSeconds())),
                    "--silent");
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("anvil.log").toFile()))
                    .start();
            Files.writeString(pidFile, String.valueOf(process.pid()));
            LOG.infof("Embedded chain (anvil, chain id %d) on http://127.0.0.1:%d with its state in %s", chainId, port, dir);
            return new EmbeddedChain(process, port, pidFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded chain", e);
        }
    }

    String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** A clean stop: anvil writes its state and exits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                LOG.warn("anvil did not stop within 20 s; killing it");
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("Could not remove " + pidFile, e);
        }
    }

    private static void stopOrphan(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("anvil")).orElse(false));
        if (orphan.isPresent()) {
            LOG.warnf("Stopping the embedded chain (pid %d) left running by an earlier crash", orphan.get().pid());
            orphan.get().destroy();
            try {
                orphan.get().onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("The orphaned anvil (pid " + orphan.get().pid() + ") did not stop", e);
            }
        }
        Files.deleteIfExists(pidFile);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
