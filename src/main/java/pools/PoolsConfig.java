package pools;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the pools module ({@code bc.pools.*}). */
@ConfigMapping(prefix = "bc.pools")
public interface PoolsConfig {

    /**
     * How often node agents send heartbeats, and the unit of uptime: each such interval of an hour in
     * which no heartbeat arrived counts as offline. Must divide an hour.
     */
    @WithDefault("30s")
    Duration heartbeatInterval();

    /** How long without a heartbeat before an active GPU is marked offline. */
    @WithDefault("90s")
    Duration offlineAfter();

    /**
     * A share change, a longer notice period or a stricter member policy takes effect from the first
     * epoch that starts at least this long after it is made (a shorter notice period or a looser
     * policy applies at once).
     */
    @WithDefault("24h")
    Duration shareChangeNotice();

    /** How often distributed pools' member policies are enforced. */
    @WithDefault("10m")
    Duration policyInterval();

    /** How often GPU statuses (minted, active, offline, left) are brought up to date. */
    @WithDefault("15s")
    Duration statusInterval();

    /** How often heartbeats buffered in memory are written to the database. */
    @WithDefault("1s")
    Duration heartbeatFlushInterval();

    /** The longest notice period a pool may set: members can always leave within it. */
    @WithDefault("90d")
    Duration maxNoticePeriod();

    /** The longest uptime window a member policy may measure over. */
    @WithDefault("30d")
    Duration maxPolicyWindow();

    /** The longest warning grace a member policy may give. */
    @WithDefault("30d")
    Duration maxWarningGrace();
}
