package market;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * Notice to spot rentals (DESIGN section 6): when a reservation or an on-demand rental takes a GPU a
 * spot rental holds, that spot order's holds all end at {@code stopsAt} = the later of the new
 * rental's start and now + {@code bc.market.preemption-notice}; it is PREEMPTING from stopsAt − notice
 * and PREEMPTED at stopsAt ({@link MarketJobs}). Its lease leaves the feed then.
 */
@ApplicationScoped
class Preemption {

    private final Jdbc jdbc;
    private final Holds holds;
    private final MarketConfig config;

    Preemption(Jdbc jdbc, Holds holds, MarketConfig config) {
        this.jdbc = jdbc;
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

    /** Ends the spot order's holds at {@code stopsAt} (or earlier, where they end earlier already) and records the notice. */
    void stop(long spotOrderId, Instant stopsAt, Instant now) {
        List<OrderStatus> statuses = jdbc.list("select status from market_order where id = ? for update", s -> s.setLong(1, spotOrderId),
                r -> OrderStatus.valueOf(r.getString(1)));
        if (statuses.isEmpty() || !statuses.get(0).open()) {
            return;
        }
        holds.endAt(spotOrderId, stopsAt);
        boolean underNotice = !stopsAt.minus(config.preemptionNotice()).isAfter(now);
        jdbc.update("update market_order set notice_stops_at = least(coalesce(notice_stops_at, ?), ?), "
                + "status = case when ? and status <> 'PREEMPTING' then 'PREEMPTING' else status end where id = ?", s -> {
            s.setObject(1, Jdbc.at(stopsAt));
            s.setObject(2, Jdbc.at(stopsAt));
            s.setBoolean(3, underNotice);
            s.setLong(4, spotOrderId);
        });
    }

    /**
     * Spot holds that overlap a firm hold on the same GPU and are not yet cut to end at its start: the
     * ones two orders placed at the same moment left (neither saw the other's uncommitted hold). Each
     * with the start of the earliest such firm hold.
     */
    List<long[]> unnoticed() {
        return jdbc.list("""
                select s.order_id, extract(epoch from min(lower(f.during)))::bigint as firm_start
                from market_hold s
                join market_hold f on f.gpu_id = s.gpu_id and f.kind <> 'SPOT' and f.during && s.during
                join market_order o on o.id = s.order_id and o.status in ('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING')
                where s.kind = 'SPOT'
                group by s.order_id""", s -> { }, r -> new long[] {r.getLong(1), r.getLong(2)});
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
