package platform;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The few settings that must be known before Quarkus reads its configuration: whether an external
 * database is configured, and where the data directory is. Read from system properties and
 * environment variables, the two sources that can override {@code application.properties}.
 */
record StartupSettings(Path dataDir, boolean externalDatabaseConfigured) {

    static StartupSettings fromEnvironment() {
        return from(System.getenv(), key -> Optional.ofNullable(System.getProperty(key)));
    }

    static StartupSettings from(Map<String, String> env, java.util.function.Function<String, Optional<String>> properties) {
        Optional<String> dataDir = properties.apply("bc.data-dir").or(() -> nonBlank(env.get("BC_DATA_DIR")));
        boolean external = properties.apply("quarkus.datasource.jdbc.url").filter(s -> !s.isBlank()).isPresent()
                || nonBlank(env.get("BC_DB_URL")).isPresent()
                || nonBlank(env.get("QUARKUS_DATASOURCE_JDBC_URL")).isPresent();
        return new StartupSettings(Path.of(dataDir.orElse("data")).toAbsolutePath().normalize(), external);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(s -> !s.isBlank());
    }
}
