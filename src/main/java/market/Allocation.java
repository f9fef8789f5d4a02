package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import pools.Pools;

/**
 * Which GPUs an order takes (DESIGN section 6). Candidates are the pool's GPUs in service that are
 * free over the window, in order of preference; within one preference they are shuffled, so that
 * racing orders mostly try different GPUs. {@link Holds#insert} then takes the first ones the
 * database accepts: the exclusion constraints, not this class, decide who gets a contested GPU.
 */
@ApplicationScoped
class Allocation {

    /**
     * GPUs an order got, from {@code start}; {@code free}: how many were free when it tried (a
     * reservation: how many it tried first); {@code preempts}: whether it may take a GPU from a spot
     * rental (a reservation that saw no spot rental on its GPUs gives no notice; one committed at the
     * same moment is found by {@link Preemption#noticeMissed}).
     */
    record Taken(List<Long> gpuIds, Instant start, int free, boolean preempts) {
    }

    /** How many GPUs beyond those it needs a reservation asks for at first: spares for when racing orders take some. */
    static final int SPARE = 8;

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
        return pools.gpusInService(poolId).stream().filter(g -> until == null || servesUntil(g, until)).toList();
    }

    /** Whether a GPU in service can serve a firm hold until {@code until}: it is not leaving before then. */
    static boolean servesUntil(Pools.ServiceGpu gpu, Instant until) {
        return gpu.leavesAt() == null || !gpu.leavesAt().isBefore(until);
    }

    /** Whether a GPU in service can take a spot rental whose notice would end at {@code soon}: it leaves after then. */
    static boolean servesSpotPast(Pools.ServiceGpu gpu, Instant soon) {
        return gpu.leavesAt() == null || gpu.leavesAt().isAfter(soon);
    }

    /** Free for a reservation (or an on-demand rental) over [start, end): no firm hold on it then. */
    List<Pools.ServiceGpu> firmFree(long poolId, Instant start, Instant end) {
        Set<Long> busy = holds.busy(poolId, true, start, end);
        return serving(poolId, end).stream().filter(g -> !busy.contains(g.id())).toList();
    }

    /**
     * A reservation of {@code n} GPUs over [start, end): GPUs without spot or on-demand rentals first.
     * It asks pools for {@code n} + {@link #SPARE} free GPUs at random rather than for all of the pool
     * (a reservation mostly needs a few of many), and for all of them only when those are not enough:
     * when racing orders took them first, or when it must choose among GPUs with rentals.
     */
    Taken reserve(long orderId, long poolId, int n, Instant start, Instant end, Instant now) {
        Holds.Around around = holds.around(poolId, start, end, now);
        Set<Long> rented = new HashSet<>(around.spot());
        rented.addAll(around.onDemand());
        int want = n + SPARE;
        List<Pools.ServiceGpu> some = pools.someGpusInService(poolId, end, around.firm(), rented, want);
        boolean all = some.size() < want;
        if (!all && rented.contains(some.get(some.size() - 1).id())) { // it must rank GPUs with rentals: all of them
            some = firmFree(poolId, start, end);
            all = true;
        }
        ToIntFunction<Pools.ServiceGpu> rank = g -> (around.onDemand().contains(g.id()) ? 2 : 0) + (around.spot().contains(g.id()) ? 1 : 0);
        List<Long> taken = new ArrayList<>(holds.insert(orderId, poolId, OrderKind.RESERVED, ranked(some, rank, start, end), n));
        if (taken.size() < n && !all) { // racing orders took them: every free GPU it has not tried
            Set<Long> tried = some.stream().map(Pools.ServiceGpu::id).collect(Collectors.toSet());
            List<Pools.ServiceGpu> rest = firmFree(poolId, start, end).stream().filter(g -> !tried.contains(g.id())).toList();
            taken.addAll(holds.insert(orderId, poolId, OrderKind.RESERVED, ranked(rest, rank, start, end), n - taken.size()));
        }
        return new Taken(taken, start, some.size(), taken.stream().anyMatch(around.spot()::contains));
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
                return new Taken(taken, now, free.size(), true);
            }
            holds.deleteOf(orderId);
        }
        Instant start = startAfterNotice(now);
        List<Pools.ServiceGpu> later = firmFree(poolId, start, start.plus(horizon));
        Set<Long> spotLater = holds.busy(poolId, false, now, start.plus(horizon));
        List<Holds.Slot> slots = ranked(later, g -> spotLater.contains(g.id()) ? 1 : 0, start, start.plus(horizon));
        return new Taken(holds.insert(orderId, poolId, OrderKind.ON_DEMAND, slots, n), start, later.size(), true);
    }

    /** How many GPUs are free for an on-demand rental, and when one of {@code n} GPUs would start (taking nothing). */
    Taken onDemandFree(long poolId, int n, Instant now) {
        List<Pools.ServiceGpu> free = firmFree(poolId, now, now.plus(config.onDemandHorizon()));
        Set<Long> spot = holds.busy(poolId, false, now, now.plus(config.preemptionNotice()));
        long spotFree = free.stream().filter(g -> !spot.contains(g.id())).count();
        return new Taken(List.of(), spotFree >= n ? now : startAfterNotice(now), free.size(), false);
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
        return new Taken(holds.insert(orderId, poolId, OrderKind.SPOT, slots, n), now, free.size(), false);
    }

    /** GPUs a spot rental can take now: in service, no firm or spot hold now, and no firm hold within the notice. */
    List<Pools.ServiceGpu> spotFree(long poolId, Instant now) {
        Instant soon = now.plus(config.preemptionNotice());
        Set<Long> firm = holds.busy(poolId, true, now, soon);
        Set<Long> spot = holds.busy(poolId, false, now, soon);
        return serving(poolId, null).stream()
                .filter(g -> servesSpotPast(g, soon))
                .filter(g -> !firm.contains(g.id()) && !spot.contains(g.id())).toList();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    /** The GPUs as slots over [lower, upper), by rank (lowest first), shuffled within a rank. */
    private static List<Holds.Slot> ranked(List<Pools.ServiceGpu> gpus, ToIntFunction<Pools.ServiceGpu> rank,
                                           Instant lower, Instant upper) {
        List<Pools.ServiceGpu> order = new ArrayList<>(gpus);
        Collections.shuffle(order, ThreadLocalRandom.current());
        order.sort(Comparator.comparingInt(rank)); // stable: shuffled within a rank
        return order.stream().map(g -> new Holds.Slot(g.id(), g.uuid(), lower, upper)).toList();
    }
}
