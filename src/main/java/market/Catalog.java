package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import platform.DomainException;
import pools.PoolView;
import pools.Pools;

/** What the marketplace shows and quotes: offers, availability hour by hour, quotes. Reads only. */
@ApplicationScoped
class Catalog {

    private final Pools pools;
    private final Allocation allocation;
    private final Orders orders;
    private final Jdbc jdbc;
    private final MarketConfig config;
    private final Clock clock;

    Catalog(Pools pools, Allocation allocation, Orders orders, Jdbc jdbc, MarketConfig config, Clock clock) {
        this.pools = pools;
        this.allocation = allocation;
        this.orders = orders;
        this.jdbc = jdbc;
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
        pools.pool(poolId).orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
        Instant start = (from != null ? from : now()).truncatedTo(ChronoUnit.HOURS);
        Instant end = to != null ? to : start.plus(Duration.ofHours(24));
        checkWindow(start, end);
        List<Long> serving = allocation.serving(poolId, null).stream().map(Pools.ServiceGpu::id).toList();
        List<long[]> busy = jdbc.list("select gpu_id, extract(epoch from lower(during))::bigint, "
                + "coalesce(extract(epoch from upper(during))::bigint, 9223372036854775807) from market_hold "
                + "where pool_id = ? and kind <> 'SPOT' and during && tstzrange(?, ?, '[)')", s -> {
            s.setLong(1, poolId);
            s.setObject(2, Jdbc.at(start));
            s.setObject(3, Jdbc.at(end));
        }, r -> new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
        Set<Long> inService = Set.copyOf(serving);
        List<Availability.Hour> hours = new ArrayList<>();
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            long lo = hour.getEpochSecond();
            long hi = lo + 3600;
            Set<Long> taken = busy.stream().filter(b -> b[1] < hi && b[2] > lo && inService.contains(b[0])).map(b -> b[0])
                    .collect(Collectors.toSet());
            hours.add(new Availability.Hour(hour, serving.size() - taken.size()));
        }
        return new Availability(poolId, serving.size(), hours);
    }

    Quote quote(OrderRequest request) {
        Instant now = now();
        PoolView pool = pools.pool(request.poolId()).orElseThrow(() -> DomainException.notFound("There is no pool " + request.poolId()));
        Orders.Terms terms = orders.terms(request, pool, now);
        return switch (request.kind()) {
            case RESERVED -> new Quote(terms.priceDc(), allocation.firmFree(pool.id(), terms.start(), terms.end()).size(), terms.start());
            case SPOT -> new Quote(terms.priceDc(), allocation.spotFree(pool.id(), now).size(), now);
            case ON_DEMAND -> {
                Allocation.Taken free = allocation.onDemandFree(pool.id(), request.gpus(), now);
                yield new Quote(terms.priceDc(), free.free(), free.start());
            }
        };
    }
}
