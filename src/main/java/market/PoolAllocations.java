package market;

import accounts.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import platform.DomainException;
import pools.PoolView;
import pools.Pools;

/** The operator's view of a pool's allocations: which GPU which order holds when. Reads only. */
@ApplicationScoped
class PoolAllocations {

    /** The most holds one view lists. */
    static final int MAX_HOLDS = 2_000;

    private final Pools pools;
    private final Holds holds;
    private final MarketConfig config;
    private final Clock clock;

    PoolAllocations(Pools pools, Holds holds, MarketConfig config, Clock clock) {
        this.pools = pools;
        this.holds = holds;
        this.config = config;
        this.clock = clock;
    }

    /**
     * The holds on the pool's GPUs over [from, to) (defaults: from this hour, for 48 hours), for the
     * pool's operator only (403 for anyone else, 404 for a pool that does not exist).
     */
    List<PoolHold> of(Caller caller, long poolId, Instant from, Instant to) {
        PoolView pool = pools.pool(poolId).orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
        if (!pool.operator().wallet().equals(caller.address().value())) {
            throw DomainException.forbidden("Only the operator of pool " + poolId + " sees its allocations");
        }
        Instant start = from != null ? from : clock.instant().truncatedTo(ChronoUnit.HOURS);
        Instant end = to != null ? to : start.plus(Duration.ofHours(48));
        if (!start.isBefore(end)) {
            throw DomainException.invalid("end: the window ends after it starts");
        }
        if (Duration.between(start, end).compareTo(config.maxQueryWindow()) > 0) {
            throw DomainException.invalid("end: a window of at most " + config.maxQueryWindow().toDays() + " days");
        }
        return holds.ofPool(poolId, start, end, MAX_HOLDS);
    }
}
