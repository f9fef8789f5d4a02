package chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Prometheus gauges: outbox depth by status, relay lag, event-sync lag, chain head. */
@ApplicationScoped
class ChainMetrics {

    void register(@Observes StartupEvent event, MeterRegistry registry, ChainStatus status) {
        Gauge.builder("bc.chain.outbox.depth", status.pending, Number::doubleValue).tag("status", "pending")
                .description("Effects waiting to be signed").register(registry);
        Gauge.builder("bc.chain.outbox.depth", status.sent, Number::doubleValue).tag("status", "sent")
                .description("Effects signed and sent, waiting for confirmations").register(registry);
        Gauge.builder("bc.chain.outbox.failed", status.failed, Number::doubleValue)
                .description("Effects the chain reverted").register(registry);
        Gauge.builder("bc.chain.relay.lag.seconds", status.relayLagSeconds, Number::doubleValue)
                .description("Age of the oldest effect not yet confirmed").register(registry);
        Gauge.builder("bc.chain.sync.lag.blocks", status.syncLagBlocks, Number::doubleValue)
                .description("Blocks between the chain head and the last block whose events are in the database").register(registry);
        Gauge.builder("bc.chain.head.block", status.head, Number::doubleValue)
                .description("The chain's latest block as last seen").register(registry);
    }
}
