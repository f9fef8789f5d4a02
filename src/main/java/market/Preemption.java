package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Notice to spot rentals (DESIGN section 6): when a reservation or an on-demand rental takes a GPU a
 * spot rental holds, that spot order's holds all end at {@code stopsAt} = the later of the new
 * rental's start and now + {@code bc.market.preemption-notice}; it is PREEMPTING from stopsAt − notice
 * and PREEMPTED at stopsAt ({@link MarketJobs}). Its lease leaves the feed then.
 */
@ApplicationScoped
class Preemption {

    private final Holds holds;
    private final MarketConfig config;

    Preemption(Holds holds, MarketConfig config) {
        this.holds = holds;
        this.config = config;
    }

    /** Gives notice to every open spot order that holds one of these GPUs at some time in [start, end). */
    void noticeFor(List<Long> gpuIds, Instant start, Instant end, Instant now) {
        if (gpuIds.isEmpty()) {
            return;
        }
        Instant stopsAt = later(start, now.plus(config.preemptionNotice()));
        for (long spotOrder : holds.spotOrdersOn(gpuIds, start, end)) {
            stop(spotOrder, stopsAt, now);
        }
    }

    /** Spot orders that two orders placed at the same moment left without notice get it now (the job calls this). */
    void noticeMissed(Instant now) {
        for (Map.Entry<Long, Instant> spot : holds.unnoticedSpot().entrySet()) {
            stop(spot.getKey(), later(spot.getValue(), now.plus(config.preemptionNotice())), now);
        }
    }

    /** Ends the spot order's holds at {@code stopsAt} (or earlier, where they end earlier already) and records the notice. */
    private void stop(long spotOrderId, Instant stopsAt, Instant now) {
        OrderEntity.locked(spotOrderId).filter(o -> o.giveNotice(stopsAt, now, config.preemptionNotice()))
                .ifPresent(o -> holds.endAt(spotOrderId, o.noticeStopsAt));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
