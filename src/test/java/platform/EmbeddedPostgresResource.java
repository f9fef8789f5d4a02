package platform;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tests' database: the same embedded PostgreSQL the product runs on, started once per test JVM
 * (however many times Quarkus restarts for test profiles) in a fresh cluster under target/.
 */
public class EmbeddedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedDatabase database;

    public static synchronized EmbeddedDatabase database() {
        if (database == null) {
            Path cluster = Path.of("target", "test-postgres", String.valueOf(ProcessHandle.current().pid()));
            database = EmbeddedDatabase.start(cluster, EmbeddedDatabase.Durability.THROWAWAY);
            Runtime.getRuntime().addShutdownHook(new Thread(database::close, "test-postgres-stop"));
        }
        return database;
    }

    @Override
    public Map<String, String> start() {
        return database().jdbcSettings();
    }

    @Override
    public void stop() {
        // kept for the next Quarkus start in this JVM; stopped by the shutdown hook
    }
}
