package credits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToLongFunction;
import org.jboss.logging.Logger;

/**
 * Prometheus gauges of the ledger's totals (bc_credits_minted_dc by source, held, escrow, burned)
 * and whether its invariant holds. One scrape reads the totals at most once per {@link #FRESH}.
 */
@ApplicationScoped
class LedgerMetrics {

    static final Duration FRESH = Duration.ofSeconds(10);
    private static final Logger LOG = Logger.getLogger(LedgerMetrics.class);

    private final Ledger ledger;
    private final Clock clock;
    private Invariant last;
    private Instant readAt = Instant.MIN;

    LedgerMetrics(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        gauge(registry, "bc.credits.minted.dc", "DCs minted by burning tokens, net of what was taken back", Invariant::mintedByBurn)
                .tag("source", "burn").register(registry);
        gauge(registry, "bc.credits.minted.dc", "DCs minted by card payments, net of what was taken back", Invariant::mintedByCard)
                .tag("source", "card").register(registry);
        gauge(registry, "bc.credits.held.dc", "DCs in customers' balances", Invariant::held).register(registry);
        gauge(registry, "bc.credits.escrow.dc", "DCs held in reservations' escrow", Invariant::escrow).register(registry);
        gauge(registry, "bc.credits.burned.dc", "DCs burned on GPUs", Invariant::burned).register(registry);
        gauge(registry, "bc.credits.invariant.holds", "1 while DCs minted = held + in escrow + burned, else 0",
                totals -> totals.holds() ? 1 : 0).register(registry);
    }

    private Gauge.Builder<LedgerMetrics> gauge(MeterRegistry registry, String name, String description, ToLongFunction<Invariant> figure) {
        return Gauge.builder(name, this, metrics -> {
            Invariant totals = metrics.totals();
            return totals == null ? Double.NaN : figure.applyAsLong(totals);
        }).description(description);
    }

    /** The totals, read again when older than {@link #FRESH}; null when they cannot be read. */
    synchronized Invariant totals() {
        Instant now = clock.instant();
        if (last == null || readAt.plus(FRESH).isBefore(now)) {
            try {
                last = ledger.invariant();
                readAt = now;
            } catch (RuntimeException e) {
                LOG.debug("Could not read the ledger's totals", e);
                return null;
            }
        }
        return last;
    }
}
