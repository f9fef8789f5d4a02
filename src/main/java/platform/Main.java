package platform;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Starts the product. When no external PostgreSQL is configured it starts the embedded one in the
 * data directory while Quarkus starts, and stops it after Quarkus has stopped, on a normal exit
 * and on SIGTERM.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        // The build runs the app once to record the classes it loads (AppCDS), stopping before it serves:
        // that run needs no database.
        // The database starts beside Quarkus; the migrations wait for it (DatabaseBeforeMigrations).
        CompletableFuture<EmbeddedDatabase> database = ApplicationLifecycleManager.isAppCDSGeneration()
                ? CompletableFuture.completedFuture(null)
                : EmbeddedDatabase.startInBackgroundUnlessConfigured(StartupSettings.fromEnvironment());
        // On SIGTERM Quarkus stops in its own shutdown hook and the main thread below closes the
        // database; this hook only waits for that, and closes it itself if the main thread cannot.
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> started(database).ifPresent(db -> db.closeAfter(Duration.ofSeconds(30))), "embedded-postgres-stop"));
        AtomicInteger exitCode = new AtomicInteger();
        Quarkus.run(null, (code, failure) -> {
            if (failure != null) {
                // a failed start (the embedded database could not start, a setting that cannot work) says why
                Logger.getLogger(Main.class).error("Berkeley Compute could not start", failure);
            }
            exitCode.set(code);
        }, args);
        started(database).ifPresent(EmbeddedDatabase::close);
        System.exit(exitCode.get());
    }

    /** The embedded database once its start has ended; empty when there is none or it could not start. */
    private static Optional<EmbeddedDatabase> started(CompletableFuture<EmbeddedDatabase> database) {
        try {
            return Optional.ofNullable(database.join());
        } catch (CompletionException failed) {
            return Optional.empty();
        }
    }
}
