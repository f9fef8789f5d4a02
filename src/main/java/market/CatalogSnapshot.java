package market;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import pools.PoolView;
import pools.Pools;

/**
 * The slowly changing part of the marketplace: the public pools with their reputation (an uptime
 * computation over every GPU of a pool) and their GPUs in service. Reading it for every request
 * would cost a few queries per pool; the marketplace is read far more often than pools change, so
 * it is kept here and read again in the background once it is {@code bc.market.catalog-refresh}
 * old, while someone has looked at it in the last minute. Only the first request of an instance,
 * or every request with a refresh of 0s, reads it itself. Free GPUs are not part of it: they are
 * counted on each request, and an order allocates against the database whatever this says.
 */
@ApplicationScoped
class CatalogSnapshot {

    /** How long after the last look the background refresh goes on. */
    private static final Duration WATCHED = Duration.ofMinutes(1);

    /** A public pool and its GPUs in service, by id. */
    record Entry(PoolView pool, List<Pools.ServiceGpu> serving) {
    }

    private record Snapshot(Instant readAt, List<Entry> entries) {
    }

    private final Pools pools;
    private final MarketConfig config;
    private final Clock clock;
    private volatile Snapshot current;
    private volatile Instant lastLook = Instant.MIN;

    CatalogSnapshot(Pools pools, MarketConfig config, Clock clock) {
        this.pools = pools;
        this.config = config;
        this.clock = clock;
    }

    /** The public pools, newest first, at most a refresh interval old (or just read). */
    List<Entry> entries() {
        Instant now = clock.instant();
        lastLook = now;
        Snapshot snapshot = current;
        if (snapshot == null || config.catalogRefresh().isZero()) {
            snapshot = read(now);
        }
        return snapshot.entries();
    }

    @Scheduled(every = "1s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        Instant now = clock.instant();
        Snapshot snapshot = current;
        if (snapshot != null && !config.catalogRefresh().isZero() && lastLook.plus(WATCHED).isAfter(now)
                && !snapshot.readAt().plus(config.catalogRefresh()).isAfter(now)) {
            read(now);
        }
    }

    private Snapshot read(Instant now) {
        Snapshot snapshot = QuarkusTransaction.joiningExisting().call(() -> new Snapshot(now,
                pools.publicPools().stream().map(p -> new Entry(p, pools.gpusInService(p.id()))).toList()));
        current = snapshot;
        return snapshot;
    }
}
