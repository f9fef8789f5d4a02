package platform;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tests' database and data directory: the same embedded PostgreSQL the product runs on,
 * started once per test JVM (however many times Quarkus restarts for test profiles) in a fresh
 * cluster under target/, and a fresh data directory beside it for the embedded chain.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedDatabase database;
    private static final Path RUN_DIR = Path.of("target", "test-run", String.valueOf(ProcessHandle.current().pid()));

    public static synchronized EmbeddedDatabase database() {
        if (database == null) {
            database = EmbeddedDatabase.start(RUN_DIR.resolve("postgres"), EmbeddedDatabase.Durability.THROWAWAY);
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "test-postgres-stop"));
        }
        return database;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> settings = new java.util.HashMap<>(database().jdbcSettings());
        settings.put("bc.data-dir", RUN_DIR.resolve("data").toAbsolutePath().toString());
        return settings;
    }

    @Override
    public void stop() {
        // kept for the next Quarkus start in this JVM; stopped by the shutdown hook
    }
}
