package platform;

import io.smallrye.config.ConfigMapping;
import java.nio.file.Path;

/** Settings of the application shell ({@code bc.*}). */
@ConfigMapping(prefix = "bc")
public interface PlatformConfig {

    /** Where the embedded database (and the embedded chain) keep their data; survives restarts. */
    Path dataDir();
}
