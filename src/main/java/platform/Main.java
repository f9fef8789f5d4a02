package platform;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the product. When no external PostgreSQL is configured it first starts the embedded one
 * in the data directory, and stops it after Quarkus has stopped, on a normal exit and on SIGTERM.
 */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        // The build runs the app once to record the classes it loads (AppCDS), stopping before it serves:
        // that run needs no database.
        EmbeddedDatabase database = ApplicationLifecycleManager.isAppCDSGeneration()
                ? null
                : EmbeddedDatabase.startUnlessConfigured(StartupSettings.fromEnvironment());
        if (database != null) {
            // On SIGTERM Quarkus stops in its own shutdown hook and the main thread below closes the
            // database; this hook only waits for that, and closes it itself if the main thread cannot.
            Runtime.getRuntime().addShutdownHook(new Thread(
                    () -> database.closeAfter(Duration.ofSeconds(30)), "embedded-postgres-stop"));
        }
        AtomicInteger exitCode = new AtomicInteger();
        Quarkus.run(null, (code, failure) -> exitCode.set(code), args);
        if (database != null) {
            database.close();
        }
        System.exit(exitCode.get());
    }
}
