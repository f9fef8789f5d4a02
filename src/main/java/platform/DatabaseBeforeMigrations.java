package platform;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The first use of the database at startup is Flyway's migration; when {@link Main} starts the
 * embedded PostgreSQL in the background, this waits for it there, so that Quarkus's start (config,
 * CDI, class loading) overlaps with {@code initdb} and the server's start.
 */
@Singleton
class DatabaseBeforeMigrations implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        EmbeddedDatabase.awaitStarted();
    }
}
