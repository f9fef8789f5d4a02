package market;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Moves orders along with time: SCHEDULED → STARTING at the start; a spot rental PREEMPTING at
 * stopsAt − notice and PREEMPTED at stopsAt; a reservation ENDED at its end; on-demand guarantees
 * rolled forward while no reservation is in the way, and an on-demand rental ENDED where one is;
 * then reservations on offline GPUs fail over ({@link Failover}) and complete minutes are metered
 * ({@link Metering}).
 * Several replicas run it: each statement locks the orders it changes with {@code FOR UPDATE SKIP
 * LOCKED}, so another replica's run skips them and the next run re-reads them.
 */
@ApplicationScoped
class MarketJobs {

    private static final Logger LOG = Logger.getLogger(MarketJobs.class);
    /** How many on-demand rentals one run rolls forward (the next run takes the rest). */
    private static final int ROLL_BATCH = 500;

    private final EntityManager em;
    private final Preemption preemption;
    private final Failover failover;
    private final Metering metering;
    private final MarketConfig config;
    private final Clock clock;

    MarketJobs(EntityManager em, Preemption preemption, Failover failover, Metering metering, MarketConfig config, Clock clock) {
        this.em = em;
        this.preemption = preemption;
        this.failover = failover;
        this.metering = metering;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.market.job-interval:15s}", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        run(clock.instant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** One run as of {@code now} (tests call it with a fixed instant). */
    void run(Instant now) {
        QuarkusTransaction.requiringNew().run(() -> preemption.noticeMissed(now));
        QuarkusTransaction.requiringNew().run(() -> advance(now));
        for (long id : QuarkusTransaction.requiringNew().call(() -> dueForRoll(now))) {
            try {
                QuarkusTransaction.requiringNew().run(() -> roll(id, now));
            } catch (RuntimeException e) { // a reservation committed into the range meanwhile: the next run sees it
                LOG.debugf("on-demand order %d not rolled forward this time: %s", id, e.getMessage());
            }
        }
        QuarkusTransaction.requiringNew().run(() -> endOnDemand(now));
        failover.run(now);
        metering.run(now);
    }

    /** Moves the open orders that {@code where} (with {@code :now}) selects, and that no other replica has locked, to {@code to}. */
    private int transition(OrderStatus to, String where, Instant now, boolean ends) {
        return em.createNativeQuery("update market_order set status = :to" + (ends ? ", ended_at = coalesce(notice_stops_at, end_at, :now)" : "")
                + " where id in (select id from market_order where status in " + Holds.OPEN + " and " + where
                + " for update skip locked)").setParameter("to", to.name()).setParameter("now", now).executeUpdate();
    }

    private void advance(Instant now) {
        transition(OrderStatus.PREEMPTED, "kind = 'SPOT' and notice_stops_at <= :now", now, true);
        transition(OrderStatus.ENDED, "kind = 'RESERVED' and end_at <= :now", now, true);
        em.createNativeQuery("update market_order set status = 'PREEMPTING' where id in (select id from market_order where kind = 'SPOT' "
                + "and status in ('SCHEDULED', 'STARTING', 'RUNNING') and notice_stops_at <= :soon for update skip locked)")
                .setParameter("soon", now.plus(config.preemptionNotice())).executeUpdate();
        transition(OrderStatus.STARTING, "status = 'SCHEDULED' and start_at <= :now", now, false);
    }

    /** On-demand rentals whose guarantee is more than one job interval behind now + horizon. */
    @SuppressWarnings("unchecked")
    private List<Long> dueForRoll(Instant now) {
        return ((List<Object>) em.createNativeQuery("select id from market_order where kind = 'ON_DEMAND' and status in " + Holds.OPEN
                        + " and guaranteed_until > :now and guaranteed_until < :behind order by guaranteed_until")
                .setParameter("now", now).setParameter("behind", now.plus(config.onDemandHorizon()).minus(config.jobInterval()))
                .setMaxResults(ROLL_BATCH).getResultList()).stream().map(id -> ((Number) id).longValue()).toList();
    }

    /**
     * Extends each hold of the on-demand order to now + horizon, or to the start of the next firm hold
     * on its GPU where that comes first; the guarantee is the earliest end of its holds.
     */
    private void roll(long id, Instant now) {
        if (em.createNativeQuery("select id from market_order where id = :id and status in " + Holds.OPEN + " for update skip locked")
                .setParameter("id", id).getResultList().isEmpty()) {
            return;
        }
        Instant target = now.plus(config.onDemandHorizon());
        em.createNativeQuery("""
                update market_hold h set during = tstzrange(lower(h.during), least(:target, coalesce((
                    select min(lower(n.during)) from market_hold n
                    where n.gpu_id = h.gpu_id and n.kind <> 'SPOT' and n.order_id <> h.order_id and lower(n.during) >= upper(h.during)),
                    :target)), '[)')
                where h.order_id = :id and not upper_inf(h.during) and upper(h.during) < :target""")
                .setParameter("target", target).setParameter("id", id).executeUpdate();
        em.createNativeQuery("update market_order set guaranteed_until = (select min(upper(during)) from market_hold where order_id = :id) "
                + "where id = :id").setParameter("id", id).executeUpdate();
    }

    /** An on-demand rental whose guarantee ran out (a reservation took its GPU at that time) has ended. */
    private void endOnDemand(Instant now) {
        em.createNativeQuery("update market_order set status = 'ENDED', end_at = guaranteed_until, ended_at = guaranteed_until where id in ("
                + "select id from market_order where kind = 'ON_DEMAND' and status in " + Holds.OPEN + " and guaranteed_until <= :now "
                + "for update skip locked)").setParameter("now", now).executeUpdate();
    }
}
