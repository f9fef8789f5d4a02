package platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;

/** Settings of the application shell ({@code bc.*}). */
@ConfigMapping(prefix = "bc")
public interface PlatformConfig {

    /** Where the embedded database (and the embedded chain) keep their data; survives restarts. */
    Path dataDir();

    /**
     * The address people and wallets reach this marketplace at, without a trailing slash: token
     * metadata URLs (tokenURI) are built from it.
     */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    EpochSettings epochs();

    DemoSettings demo();

    /**
     * Demo mode ({@code BC_DEMO=true}): on its first start the marketplace seeds a network to try
     * (the market module's DemoNetwork), and every page says it is a demo. Off by default; demo
     * certificates are valid only while it is on.
     */
    interface DemoSettings {
        @WithDefault("false")
        boolean enabled();
    }

    /** The epoch calendar: settlement periods, and when reward-share changes take effect. */
    interface EpochSettings {
        /** When epoch 0 starts (UTC, on a multiple of the length). */
        @WithDefault("2026-01-01T00:00:00Z")
        java.time.Instant genesis();

        /** How long an epoch lasts: whole minutes that divide 24 h. */
        @WithDefault("24h")
        java.time.Duration length();
    }
}
