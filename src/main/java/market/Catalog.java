package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import platform.DomainException;
import pools.PoolView;
import pools.Pools;

/** What the marketplace shows and quotes: offers, availability hour by hour, quotes. Reads only. */
@ApplicationScoped
class Catalog {

    private final Pools pools;
    private final CatalogSnapshot snapshot;
    private final Allocation allocation;
    private final Orders orders;
    private final Holds holds;
    private final MarketConfig config;
    private final Clock clock;

    Catalog(Pools pools, CatalogSnapshot snapshot, Allocation allocation, Orders orders, Holds holds, MarketConfig config, Clock clock) {
        this.pools = pools;
        this.snapshot = snapshot;
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
        OrderKind kind = filter.kind() == null ? OrderKind.RESERVED : filter.kind();
        Instant soon = now.plus(config.preemptionNotice());
        // the GPUs taken in the window, for all pools in one or two queries
        Map<Long, Set<Long>> firm = switch (kind) {
            case RESERVED -> holds.busyByPool(true, start, end);
            case ON_DEMAND -> holds.busyByPool(true, now, now.plus(config.onDemandHorizon()));
            case SPOT -> holds.busyByPool(true, now, soon);
        };
        Map<Long, Set<Long>> spot = kind == OrderKind.SPOT ? holds.busyByPool(false, now, soon) : Map.of();
        Instant until = switch (kind) {
            case RESERVED -> end;
            case ON_DEMAND -> now.plus(config.onDemandHorizon());
            case SPOT -> soon;
        };
        List<Offer> offers = new ArrayList<>();
        for (CatalogSnapshot.Entry entry : snapshot.entries()) {
            PoolView pool = entry.pool();
            if ((filter.model() != null && !filter.model().equalsIgnoreCase(pool.modelId()))
                    || (filter.region() != null && !filter.region().equalsIgnoreCase(pool.region()))) {
                continue;
            }
            Set<Long> taken = firm.getOrDefault(pool.id(), Set.of());
            Set<Long> spotTaken = spot.getOrDefault(pool.id(), Set.of());
            // as Allocation counts them: in service through the window (a spot rental: past the notice), not held then
            int free = (int) entry.serving().stream()
                    .filter(g -> kind == OrderKind.SPOT ? Allocation.servesSpotPast(g, until) : Allocation.servesUntil(g, until))
                    .filter(g -> !taken.contains(g.id()) && !spotTaken.contains(g.id())).count();
            if (filter.gpus() != null && free < filter.gpus()) {
                continue;
            }
            offers.add(new Offer(pool.id(), pool.name(), pool.modelId(), pool.region(), pool.mode().name(), pool.reputation().score(),
                    pool.prices(), pool.size().inService(), free));
        }
        return offers;
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
        return availability(poolId, allocation.serving(poolId, null), holds.firmIn(poolId, start, end), start, end);
    }

    /**
     * The availability of the marketplace's pools among {@code poolIds} over one window, for its
     * charts: their GPUs in service from the snapshot and their holds in one query (ids that are no
     * public pool of the snapshot are left out).
     */
    Map<Long, Availability> availability(Collection<Long> poolIds, Instant from, Instant to) {
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        checkWindow(start, to);
        Map<Long, List<Pools.ServiceGpu>> serving = new HashMap<>();
        Set<Long> wanted = Set.copyOf(poolIds);
        snapshot.entries().stream().filter(e -> wanted.contains(e.pool().id())).forEach(e -> serving.put(e.pool().id(), e.serving()));
        Map<Long, List<Holds.Hold>> busy = serving.isEmpty() ? Map.of() : holds.firmIn(serving.keySet(), start, to);
        Map<Long, Availability> charts = new HashMap<>();
        serving.forEach((poolId, gpus) -> charts.put(poolId, availability(poolId, gpus, busy.getOrDefault(poolId, List.of()), start, to)));
        return charts;
    }

    private static Availability availability(long poolId, List<Pools.ServiceGpu> gpus, List<Holds.Hold> busy, Instant start, Instant end) {
        List<Long> serving = gpus.stream().map(Pools.ServiceGpu::id).toList();
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
