package market;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Settings of the market ({@code bc.market.*}). */
@ConfigMapping(prefix = "bc.market")
public interface MarketConfig {

    /** How long a spot rental runs on after a reservation or an on-demand rental claims its GPU. */
    @WithDefault("2m")
    Duration preemptionNotice();

    /** How far ahead an on-demand rental is guaranteed: its guaranteedUntil is start + this, rolled forward while no reservation is in the way. */
    @WithDefault("7d")
    Duration onDemandHorizon();

    /** How many minutes of a spot or on-demand rental the balance must cover when it is ordered (else 402). */
    @WithDefault("5")
    int prepaidMinutes();

    /** The longest reservation one order may buy. */
    @WithDefault("366d")
    Duration maxReservation();

    /** How far ahead a reservation may start. */
    @WithDefault("366d")
    Duration maxLeadTime();

    /** The longest window an offer list or an availability chart covers. */
    @WithDefault("31d")
    Duration maxQueryWindow();

    /**
     * A running spot or on-demand rental warns (its order's lowBalanceMinutes) when its payer's
     * balance will not cover this long at the rate of all the rentals that wallet pays for; at zero it stops.
     */
    @WithDefault("10m")
    Duration lowBalanceNotice();

    /** How often orders are moved along (start, notice, preemption, end) and on-demand guarantees rolled forward. */
    @WithDefault("15s")
    Duration jobInterval();

    /**
     * How old the marketplace's list of pools (with reputation and GPUs in service) may be: it is read
     * again at most this often while people look at it; free GPUs are counted on every request, and an
     * order always allocates against the database itself. 0s reads it on every request.
     */
    @WithDefault("5s")
    Duration catalogRefresh();
}
