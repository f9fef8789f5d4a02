package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import pools.Pools;

/**
 * Which GPUs an order takes (DESIGN section 6). Candidates are the pool's GPUs in service that are
 * free over the window, in order of preference; within one preference they are shuffled, so that
 * racing orders mostly try different GPUs. {@link Holds#insert} then takes the first ones the
 * database accepts: the exclusion constraints, not this class, decide who gets a contested GPU.
 */
@ApplicationScoped
class Allocation {

    /** GPUs an order got, from {@code start}; {@code free}: how many were free when it tried (for a refusal). */
    record Taken(List<Long> gpuIds, Instant start, int free) {
    }

    private final Holds holds;
    private final Pools pools;
    private final MarketConfig config;

    Allocation(Holds holds, Pools pools, MarketConfig config) {
        this.holds = holds;
        this.pools = pools;
        this.config = config;
    }

    /** The pool's GPUs in service that can serve until {@code until} (a GPU leaving earlier cannot; null: any). */
    List<Pools.ServiceGpu> serving(long poolId, Instant until) {
        return pools.gpusInService(poolId).stream()
                .filter(g -> g.leavesAt() == null || until == null || !g.leavesAt().isBefore(until)).toList();
    }

    /** Free for a reservation (or an on-demand rental) over [start, end): no firm hold on it then. */
    List<Pools.ServiceGpu> firmFree(long poolId, Instant start, Instant end) {
        Set<Long> busy = holds.busy(poolId, true, start, end);
        return serving(poolId, end).stream().filter(g -> !busy.contains(g.id())).toList();
    }

    /** A reservation of {@code n} GPUs over [start, end): GPUs without spot or on-demand rentals first. */
    Taken reserve(long orderId, long poolId, int n, Instant start, Instant end, Instant now) {
        List<Pools.ServiceGpu> free = firmFree(poolId, start, end);
        Set<Long> spot = holds.busy(poolId, false, start, end);
        Set<Long> onDemand = holds.onDemand(poolId, now);
        List<Holds.Slot> slots = ranked(free, g -> (onDemand.contains(g.id()) ? 2 : 0) + (spot.contains(g.id()) ? 1 : 0), start, end);
        return new Taken(holds.insert(orderId, poolId, OrderKind.RESERVED, slots, n), start, free.size());
    }

    /**
     * An on-demand rental of {@code n} GPUs, guaranteed over [start, start + horizon). It starts now on
     * GPUs no spot rental uses; if too few are, it starts when a spot rental's notice ends.
     */
    Taken onDemand(long orderId, long poolId, int n, Instant now) {
        Duration horizon = config.onDemandHorizon();
        List<Pools.ServiceGpu> free = firmFree(poolId, now, now.plus(horizon));
        Set<Long> spot = holds.busy(poolId, false, now, now.plus(config.preemptionNotice()));
        List<Pools.ServiceGpu> spotFree = free.stream().filter(g -> !spot.contains(g.id())).toList();
        if (spotFree.size() >= n) {
            List<Long> taken = holds.insert(orderId, poolId, OrderKind.ON_DEMAND, ranked(spotFree, g -> 0, now, now.plus(horizon)), n);
            if (taken.size() == n) {
                return new Taken(taken, now, free.size());
            }
            holds.deleteOf(orderId);
        }
        Instant start = startAfterNotice(now);
        List<Pools.ServiceGpu> later = firmFree(poolId, start, start.plus(horizon));
        Set<Long> spotLater = holds.busy(poolId, false, now, start.plus(horizon));
        List<Holds.Slot> slots = ranked(later, g -> spotLater.contains(g.id()) ? 1 : 0, start, start.plus(horizon));
        return new Taken(holds.insert(orderId, poolId, OrderKind.ON_DEMAND, slots, n), start, later.size());
    }

    /** How many GPUs are free for an on-demand rental, and when one of {@code n} GPUs would start (taking nothing). */
    Taken onDemandFree(long poolId, int n, Instant now) {
        List<Pools.ServiceGpu> free = firmFree(poolId, now, now.plus(config.onDemandHorizon()));
        Set<Long> spot = holds.busy(poolId, false, now, now.plus(config.preemptionNotice()));
        long spotFree = free.stream().filter(g -> !spot.contains(g.id())).count();
        return new Taken(List.of(), spotFree >= n ? now : startAfterNotice(now), free.size());
    }

    /** When a rental that needs a spot rental's GPU starts: once the notice it gives now has ended. */
    Instant startAfterNotice(Instant now) {
        return now.plus(config.preemptionNotice());
    }

    /**
     * A spot rental of {@code n} GPUs from now: GPUs that no firm or spot hold takes now, each until
     * the next reservation or on-demand rental on it (or until it is stopped); the longest runs
     * first, and none that would be under notice at once.
     */
    Taken spot(long orderId, long poolId, int n, Instant now) {
        List<Pools.ServiceGpu> free = spotFree(poolId, now);
        Map<Long, Instant> next = holds.nextFirmStart(poolId, now);
        List<Holds.Slot> slots = new ArrayList<>();
        List<Pools.ServiceGpu> shuffled = new ArrayList<>(free);
        Collections.shuffle(shuffled, ThreadLocalRandom.current());
        for (Pools.ServiceGpu g : shuffled) {
            Instant until = earliest(next.get(g.id()), g.leavesAt());
            slots.add(new Holds.Slot(g.id(), g.uuid(), now, until));
        }
        slots.sort(Comparator.comparing(Holds.Slot::upper, Comparator.nullsFirst(Comparator.<Instant>reverseOrder())));
        return new Taken(holds.insert(orderId, poolId, OrderKind.SPOT, slots, n), now, free.size());
    }

    /** GPUs a spot rental can take now: in service, no firm or spot hold now, and no firm hold within the notice. */
    List<Pools.ServiceGpu> spotFree(long poolId, Instant now) {
        Instant soon = now.plus(config.preemptionNotice());
        Set<Long> firm = holds.busy(poolId, true, now, soon);
        Set<Long> spot = holds.busy(poolId, false, now, soon);
        return serving(poolId, null).stream()
                .filter(g -> g.leavesAt() == null || g.leavesAt().isAfter(soon))
                .filter(g -> !firm.contains(g.id()) && !spot.contains(g.id())).toList();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** The GPUs as slots over [lower, upper), by rank (lowest first), shuffled within a rank. */
    private static List<Holds.Slot> ranked(List<Pools.ServiceGpu> gpus, java.util.function.ToIntFunction<Pools.ServiceGpu> rank,
                                           Instant lower, Instant upper) {
        List<Pools.ServiceGpu> order = new ArrayList<>(gpus);
        Collections.shuffle(order, ThreadLocalRandom.current());
        order.sort(Comparator.comparingInt(rank)); // stable: shuffled within a rank
        return order.stream().map(g -> new Holds.Slot(g.id(), g.uuid(), lower, upper)).toList();
    }
}
