package platform;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The tests' database and data directory: the same embedded PostgreSQL the product runs on,
 * started once per test JVM (however many times Quarkus restarts for test profiles) in a fresh
 * cluster under target/, and a fresh data directory beside it for the embedded chain. The cluster
 * runs with fsync off unless {@code -Dtest-postgres.durable=true} asks for the product's settings
 * (benchmarks that measure commits do).
 *
 * <p>A restart for a test profile may load this class again in a new class loader, so the server's
 * settings are kept where every loader sees them, in system properties, and a second start reuses
 * the running server instead of starting another one on the same cluster.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static final Path RUN_DIR = Path.of("target", "test-run", String.valueOf(ProcessHandle.current().pid()));
    private static final String STARTED = "test-postgres."; // outside bc.* and quarkus.*, whose keys are checked

    /** The JDBC settings of the test database, starting it on first use. */
    public static synchronized Map<String, String> jdbcSettings() {
        if (System.getProperty(STARTED + "quarkus.datasource.jdbc.url") == null) {
            EmbeddedDatabase database = EmbeddedDatabase.start(RUN_DIR.resolve("postgres"), Boolean.getBoolean(STARTED + "durable")
                    ? EmbeddedDatabase.Durability.DURABLE : EmbeddedDatabase.Durability.THROWAWAY);
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "test-postgres-stop"));
            database.jdbcSettings().forEach((key, value) -> System.setProperty(STARTED + key, value));
        }
        Map<String, String> settings = new HashMap<>();
        for (String key : new String[] {"quarkus.datasource.jdbc.url", "quarkus.datasource.username", "quarkus.datasource.password"}) {
            settings.put(key, System.getProperty(STARTED + key));
        }
        return settings;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = jdbcSettings();
        settings.put("bc.data-dir", RUN_DIR.resolve("data").toAbsolutePath().toString());
        return settings;
    }

    @Override
    public void stop() {
        // kept for the next Quarkus start in this JVM; stopped by the shutdown hook
    }
}
