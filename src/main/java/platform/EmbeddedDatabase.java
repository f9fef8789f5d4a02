package platform;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server (zonky's embedded binaries) whose cluster lives in
 * {@code <data-dir>/postgres} and survives restarts. Used when no external database is configured,
 * and by the tests.
 *
 * <p>A crash of the JVM leaves the postmaster running (pg_ctl detaches it); the next start finds it
 * through {@code postmaster.pid}, stops it, and PostgreSQL's own WAL recovery does the rest.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class);
    static final String DATABASE = "postgres";
    static final String USER = "postgres";

    private final EmbeddedPostgres postgres;
    private final CountDownLatch closed = new CountDownLatch(1);

    private EmbeddedDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /** The server {@link #startInBackgroundUnlessConfigured} is starting; done at once when there is none. */
    private static volatile CompletableFuture<EmbeddedDatabase> starting = CompletableFuture.completedFuture(null);

    /**
     * Starts the product's server in the background unless an external database is configured, so
     * that {@code initdb} and the server's start overlap with Quarkus's own start (about two seconds
     * of a first start). The settings that point Quarkus at it are set at once, on a port chosen
     * now; {@link #awaitStarted()} (called before the migrations run) waits for the server. The
     * future completes with null when an external database is configured.
     */
    static CompletableFuture<EmbeddedDatabase> startInBackgroundUnlessConfigured(StartupSettings settings) {
        System.setProperty("bc.data-dir", settings.dataDir().toString());
        if (settings.externalDatabaseConfigured()) {
            return starting;
        }
        int port = freePort();
        jdbcSettings(port).forEach(System::setProperty);
        Path clusterDir = settings.dataDir().resolve("postgres");
        CompletableFuture<EmbeddedDatabase> database = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                database.complete(start(clusterDir, Durability.DURABLE, port));
            } catch (Throwable e) {
                database.completeExceptionally(e);
            }
        }, "embedded-postgres-start");
        thread.setDaemon(true);
        thread.start();
        starting = database;
        return database;
    }

    /** Waits until the server started by {@link #startInBackgroundUnlessConfigured} answers; rethrows why it could not start. */
    static void awaitStarted() {
        try {
            starting.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Whether a commit waits for the disk. */
    public enum Durability {
        /** fsync on and synchronous commits: what the product runs with. */
        DURABLE,
        /** fsync off, as zonky defaults to: for throwaway test clusters only. */
        THROWAWAY
    }

    /** Starts (or restarts, after a crash) the cluster in {@code clusterDir}, creating it on first use. */
    public static EmbeddedDatabase start(Path clusterDir, Durability durability) {
        return start(clusterDir, durability, 0);
    }

    /** Like {@link #start(Path, Durability)}, on {@code port} (0: any free port). */
    private static EmbeddedDatabase start(Path clusterDir, Durability durability, int port) {
        try {
            Files.createDirectories(clusterDir);
            stopOrphanedPostmaster(clusterDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (durability == Durability.DURABLE) {
                // zonky starts PostgreSQL with -F (fsync off) and synchronous_commit off; a product must not lose commits.
                builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on");
            }
            if (port != 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder
                    .setDataDirectory(clusterDir)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "localhost")
                    .start();
            LOG.infof("Embedded PostgreSQL is running on port %d with its data in %s", postgres.getPort(), clusterDir);
            return new EmbeddedDatabase(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL in " + clusterDir, e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    /** The Quarkus datasource settings that point at this server. */
    public java.util.Map<String, String> jdbcSettings() {
        return jdbcSettings(postgres.getPort());
    }

    private static java.util.Map<String, String> jdbcSettings(int port) {
        return java.util.Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:" + port + "/" + DATABASE,
                "quarkus.datasource.username", USER,
                "quarkus.datasource.password", "");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port for the embedded PostgreSQL", e);
        }
    }

    /** Stops the server with a fast, clean shutdown (a checkpoint, no recovery needed on the next start). */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warn("Embedded PostgreSQL did not stop cleanly", e);
        } finally {
            closed.countDown();
        }
    }

    /** Waits for {@link #close()} to happen elsewhere, and closes the server itself after {@code patience}. */
    void closeAfter(Duration patience) {
        try {
            if (!closed.await(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
        }
    }

    /**
     * A postmaster left behind by a process that died is still serving the old cluster; stop it
     * before starting ours. The data directory's lock file tells a live owner from a dead one.
     */
    private static void stopOrphanedPostmaster(Path clusterDir) throws IOException {
        Path pidFile = clusterDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(clusterDir.resolve("epg-lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("The data directory " + clusterDir
                        + " is in use by another running instance; give each instance its own bc.data-dir");
            }
            Optional<ProcessHandle> postmaster = postmasterOf(pidFile);
            if (postmaster.isEmpty()) {
                return; // a stale pid file: PostgreSQL removes it itself
            }
            LOG.warnf("Stopping PostgreSQL (pid %d) left running by an earlier crash", postmaster.get().pid());
            postmaster.get().destroy(); // SIGTERM: a smart shutdown; its clients died with the old process
            postmaster.get().onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("An orphaned PostgreSQL in " + clusterDir + " did not stop within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping an orphaned PostgreSQL", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<ProcessHandle> postmasterOf(Path pidFile) throws IOException {
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            return Optional.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
    }
}
