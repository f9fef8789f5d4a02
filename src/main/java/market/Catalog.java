package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import platform.DomainException;
import pools.PoolView;
import pools.Pools;

/** What the marketplace shows and quotes: offers, availability hour by hour, quotes. Reads only. */
@ApplicationScoped
class Catalog {

    private final Pools pools;
    private final Allocation allocation;
    private final Orders orders;
    private final Holds holds;
    private final MarketConfig config;
    private final Clock clock;

    Catalog(Pools pools, Allocation allocation, Orders orders, Holds holds, MarketConfig config, Clock clock) {
        this.pools = pools;
        this.allocation = allocation;
        this.orders = orders;
        this.holds = holds;
        this.config = config;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    List<Offer> offers(OfferFilter filter) {
        Instant now = now();
        Instant start = filter.start() != null ? filter.start() : now;
        Instant end = filter.end() != null ? filter.end() : start.plus(Duration.ofHours(1));
        checkWindow(start, end);
        List<Offer> offers = new ArrayList<>();
        for (PoolView pool : pools.publicPools()) {
            if ((filter.model() != null && !filter.model().equalsIgnoreCase(pool.modelId()))
                    || (filter.region() != null && !filter.region().equalsIgnoreCase(pool.region()))) {
                continue;
            }
            int free = free(pool.id(), filter.kind() == null ? OrderKind.RESERVED : filter.kind(), start, end, now);
            if (filter.gpus() != null && free < filter.gpus()) {
                continue;
            }
            offers.add(new Offer(pool.id(), pool.name(), pool.modelId(), pool.region(), pool.mode().name(), pool.reputation().score(),
                    pool.prices(), pool.size().inService(), free));
        }
        return offers;
    }

    private int free(long poolId, OrderKind kind, Instant start, Instant end, Instant now) {
        return switch (kind) {
            case RESERVED -> allocation.firmFree(poolId, start, end).size();
            case ON_DEMAND -> allocation.firmFree(poolId, now, now.plus(config.onDemandHorizon())).size();
            case SPOT -> allocation.spotFree(poolId, now).size();
        };
    }

    private void checkWindow(Instant start, Instant end) {
        if (!start.isBefore(end)) {
            throw DomainException.invalid("end: the window ends after it starts");
        }
        if (Duration.between(start, end).compareTo(config.maxQueryWindow()) > 0) {
            throw DomainException.invalid("end: a window of at most " + config.maxQueryWindow().toDays() + " days");
        }
    }

    /** Free for reservation in each hour of [start, end) (default: the next 24 hours from this hour). */
    Availability availability(long poolId, Instant from, Instant to) {
        orders.prices(poolId); // 404 for no such pool
        Instant start = (from != null ? from : now()).truncatedTo(ChronoUnit.HOURS);
        Instant end = to != null ? to : start.plus(Duration.ofHours(24));
        checkWindow(start, end);
        List<Long> serving = allocation.serving(poolId, null).stream().map(Pools.ServiceGpu::id).toList();
        List<Holds.Hold> busy = holds.firmIn(poolId, start, end);
        Set<Long> inService = Set.copyOf(serving);
        List<Availability.Hour> hours = new ArrayList<>();
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            Instant hourStart = hour;
            Instant hourEnd = hour.plus(Duration.ofHours(1));
            long taken = busy.stream().filter(h -> h.lower().isBefore(hourEnd) && (h.upper() == null || h.upper().isAfter(hourStart)))
                    .map(Holds.Hold::gpuId).filter(inService::contains).distinct().count();
            hours.add(new Availability.Hour(hour, serving.size() - (int) taken));
        }
        return new Availability(poolId, serving.size(), hours);
    }

    Quote quote(OrderRequest request) {
        Instant now = now();
        long poolId = request.poolId();
        Orders.Terms terms = orders.terms(request, orders.prices(poolId), now);
        return switch (request.kind()) {
            case RESERVED -> new Quote(terms.priceDc(), allocation.firmFree(poolId, terms.start(), terms.end()).size(), terms.start());
            case SPOT -> new Quote(terms.priceDc(), allocation.spotFree(poolId, now).size(), now);
            case ON_DEMAND -> {
                Allocation.Taken free = allocation.onDemandFree(poolId, request.gpus(), now);
                yield new Quote(terms.priceDc(), free.free(), free.start());
            }
        };
    }
}
