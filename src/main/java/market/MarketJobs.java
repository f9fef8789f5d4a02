package market;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Moves orders along with time: SCHEDULED → STARTING at the start; a spot rental PREEMPTING at
 * stopsAt − notice and PREEMPTED at stopsAt; a reservation ENDED at its end; on-demand guarantees
 * rolled forward while no reservation is in the way, and an on-demand rental ENDED where one is.
 * Several replicas run it: each statement locks the orders it changes with {@code FOR UPDATE SKIP
 * LOCKED}, so another replica's run skips them and the next run re-reads them.
 */
@ApplicationScoped
class MarketJobs {

    private static final Logger LOG = Logger.getLogger(MarketJobs.class);
    private static final String OPEN = "('SCHEDULED', 'STARTING', 'RUNNING', 'PREEMPTING')";
    /** How many on-demand rentals one run rolls forward (the next run takes the rest). */
    private static final int ROLL_BATCH = 500;

    private final Jdbc jdbc;
    private final Preemption preemption;
    private final MarketConfig config;
    private final Clock clock;

    MarketJobs(Jdbc jdbc, Preemption preemption, MarketConfig config, Clock clock) {
        this.jdbc = jdbc;
        this.preemption = preemption;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.market.job-interval:15s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** One run as of {@code now} (tests call it with a fixed instant). */
    void run(Instant now) {
        QuarkusTransaction.requiringNew().run(() -> noticeMissed(now));
        QuarkusTransaction.requiringNew().run(() -> advance(now));
        for (long id : QuarkusTransaction.requiringNew().call(() -> dueForRoll(now))) {
            try {
                QuarkusTransaction.requiringNew().run(() -> roll(id, now));
            } catch (RuntimeException e) { // a reservation committed into the range meanwhile: the next run sees it
                LOG.debugf("on-demand order %d not rolled forward this time: %s", id, e.getMessage());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> endOnDemand(now));
    }

    /** Spot orders two racing orders left without notice get it now. */
    private void noticeMissed(Instant now) {
        for (long[] row : preemption.unnoticed()) {
            preemption.stop(row[0], later(Instant.ofEpochSecond(row[1]), now.plus(config.preemptionNotice())), now);
        }
    }

    private int transition(String to, String where, Instant now, boolean ended) {
        return jdbc.update("update market_order set status = '" + to + "'" + (ended ? ", ended_at = coalesce(notice_stops_at, end_at, ?)" : "")
                + " where id in (select id from market_order where status in " + OPEN + " and " + where
                + " for update skip locked)", s -> {
            int i = 1;
            if (ended) {
                s.setObject(i++, Jdbc.at(now));
            }
            int params = (int) where.chars().filter(c -> c == '?').count();
            for (int p = 0; p < params; p++) {
                s.setObject(i++, Jdbc.at(now));
            }
        });
    }

    private void advance(Instant now) {
        transition("PREEMPTED", "kind = 'SPOT' and notice_stops_at <= ?", now, true);
        transition("ENDED", "kind = 'RESERVED' and end_at <= ?", now, true);
        jdbc.update("update market_order set status = 'PREEMPTING' where id in (select id from market_order where kind = 'SPOT' "
                + "and status in ('SCHEDULED', 'STARTING', 'RUNNING') and notice_stops_at <= ? for update skip locked)",
                s -> s.setObject(1, Jdbc.at(now.plus(config.preemptionNotice()))));
        transition("STARTING", "status = 'SCHEDULED' and start_at <= ?", now, false);
    }

    /** On-demand rentals whose guarantee is more than one job interval behind now + horizon. */
    private List<Long> dueForRoll(Instant now) {
        Instant behind = now.plus(config.onDemandHorizon()).minus(config.jobInterval());
        return jdbc.list("select id from market_order where kind = 'ON_DEMAND' and status in " + OPEN
                + " and guaranteed_until > ? and guaranteed_until < ? order by guaranteed_until limit " + ROLL_BATCH, s -> {
            s.setObject(1, Jdbc.at(now));
            s.setObject(2, Jdbc.at(behind));
        }, r -> r.getLong(1));
    }

    /**
     * Extends each hold of the on-demand order to now + horizon, or to the start of the next firm hold
     * on its GPU where that comes first; the guarantee is the earliest end of its holds.
     */
    private void roll(long id, Instant now) {
        if (jdbc.list("select id from market_order where id = ? and status in " + OPEN + " for update skip locked",
                s -> s.setLong(1, id), r -> r.getLong(1)).isEmpty()) {
            return;
        }
        Instant target = now.plus(config.onDemandHorizon());
        jdbc.update("""
                update market_hold h set during = tstzrange(lower(h.during), least(?, coalesce((
                    select min(lower(n.during)) from market_hold n
                    where n.gpu_id = h.gpu_id and n.kind <> 'SPOT' and n.order_id <> h.order_id and lower(n.during) >= upper(h.during)), ?)), '[)')
                where h.order_id = ? and not upper_inf(h.during) and upper(h.during) < ?""", s -> {
            s.setObject(1, Jdbc.at(target));
            s.setObject(2, Jdbc.at(target));
            s.setLong(3, id);
            s.setObject(4, Jdbc.at(target));
        });
        jdbc.update("update market_order set guaranteed_until = (select min(upper(during)) from market_hold where order_id = ?) where id = ?",
                s -> {
                    s.setLong(1, id);
                    s.setLong(2, id);
                });
    }

    /** An on-demand rental whose guarantee ran out (a reservation took its GPU at that time) has ended. */
    private void endOnDemand(Instant now) {
        jdbc.update("update market_order set status = 'ENDED', end_at = guaranteed_until, ended_at = guaranteed_until where id in ("
                + "select id from market_order where kind = 'ON_DEMAND' and status in " + OPEN + " and guaranteed_until <= ? "
                + "for update skip locked)", s -> s.setObject(1, Jdbc.at(now)));
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
