package market;

import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.TimeSlot;
import credits.Credits;
import credits.DataCredits;
import credits.Posted;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jboss.logging.Logger;
import pools.Pools;
import pools.PoolsConfig;
import pools.RunningMinutes;

/**
 * Per-minute metering (DESIGN sections 6 and 7). A minute is metered once it is complete: it ended
 * at least {@code bc.pools.heartbeat-flush-interval} ago (the agents' reports and heartbeats of it
 * are written then) and event sync has read the chain through its end (its payer is known).
 *
 * <ul>
 * <li>Spot and on-demand: each minute in which the node agent reported the workload RUNNING on a GPU
 * of the order ({@link Pools#runningMinutes}) is charged on that GPU at {@link Credits#minuteCharge}
 * (minute k counted from the order's start), burned from the balance of the wallet that holds the
 * order's slot at the minute's end (before the mint is confirmed: the customer who placed it), up to
 * what that balance has, never more. A charge the balance could not pay in full, or a balance left at
 * zero, stops the rental then (STOPPED, "out of DCs"): its holds end, the lease feed drops it.</li>
 * <li>Reservations are prepaid: the epoch settlement burns the window from escrow (DESIGN section 7,
 * step 1). Each minute of the window on each held GPU is served when a heartbeat of that GPU arrived
 * in it ({@link Pools#onlineMinutes}); an unserved one is refunded from escrow, at the same
 * minute charge, to the slot's holder at that minute's end. Burned plus refunded is the price,
 * exactly.</li>
 * </ul>
 *
 * <p>Once per (order, GPU, minute): the order row is locked ({@code FOR UPDATE SKIP LOCKED}: a replica
 * running at the same time skips it) while its watermark {@code metered_until} moves, in the same
 * transaction as the postings, and each posting has the key {@code market:order:<id>:gpu:<gpu>:min:<epoch
 * minute>}, which the ledger applies at most once.
 */
@ApplicationScoped
class Metering {

    private static final Logger LOG = Logger.getLogger(Metering.class);
    /** How many orders one run meters (the next run takes the rest). */
    static final int BATCH = 500;
    /** How many minutes of one order one run meters (an order behind catches up over a few runs). */
    static final int MAX_MINUTES = 60;

    private final EntityManager em;
    private final Holds holds;
    private final Pools pools;
    private final Credits credits;
    private final Chain chain;
    private final MarketConfig config;
    private final Duration flushInterval;
    private final Clock clock;

    Metering(EntityManager em, Holds holds, Pools pools, Credits credits, Chain chain, MarketConfig config, PoolsConfig poolsConfig,
             Clock clock) {
        this.em = em;
        this.holds = holds;
        this.pools = pools;
        this.credits = credits;
        this.chain = chain;
        this.config = config;
        this.flushInterval = poolsConfig.heartbeatFlushInterval();
        this.clock = clock;
    }

    /** Meters every order with complete minutes left as of {@code now}, one transaction per order. */
    void run(Instant now) {
        Instant cutoff = QuarkusTransaction.requiringNew().call(() -> cutoff(now));
        for (long id : QuarkusTransaction.requiringNew().call(() -> due(cutoff))) {
            try {
                QuarkusTransaction.requiringNew().run(() -> meter(id, cutoff, now));
            } catch (RuntimeException e) { // this order's minutes stay for the next run; the others go on
                LOG.warnf(e, "order %d not metered this time", id);
            }
        }
    }

    /**
     * Minutes that start before the answer are complete: they ended a flush interval before
     * {@code now}, and no later than event sync lags behind the clock (a holder's transfer in them is known).
     */
    Instant cutoff(Instant now) {
        Instant complete = now.minus(flushInterval);
        Optional<Instant> synced = chain.syncedThrough();
        if (synced.isPresent()) {
            Duration lag = Duration.between(synced.get(), clock.instant());
            if (!lag.isNegative() && !lag.isZero()) {
                complete = complete.isBefore(now.minus(lag)) ? complete : now.minus(lag);
            }
        }
        return complete.truncatedTo(ChronoUnit.MINUTES);
    }

    /** Orders with minutes before {@code cutoff} not metered yet. */
    @SuppressWarnings("unchecked")
    private List<Long> due(Instant cutoff) {
        return ((List<Object>) em.createNativeQuery("""
                        select id from market_order
                        where (metered_until is null or metered_until < coalesce(end_at, ended_at, 'infinity'))
                          and coalesce(metered_until, date_trunc('minute', start_at)) < :cutoff
                        order by id""")
                .setParameter("cutoff", cutoff).setMaxResults(BATCH).getResultList()).stream().map(id -> ((Number) id).longValue()).toList();
    }

    /** Meters one order's minutes in [its watermark, cutoff), unless another replica has it locked. */
    void meter(long id, Instant cutoff, Instant now) {
        if (em.createNativeQuery("select id from market_order where id = :id for update skip locked").setParameter("id", id)
                .getResultList().isEmpty()) {
            return;
        }
        OrderEntity order = OrderEntity.findById(id);
        Instant from = order.meteredUntil == null ? order.firstMinute() : order.meteredUntil;
        Instant to = earliest(cutoff, from.plus(Duration.ofMinutes(MAX_MINUTES)), order.meteringEnd());
        if (!from.isBefore(to)) {
            order.meteredUntil = from; // nothing left (an order stopped before it ran): done
            return;
        }
        List<Holds.Hold> held = holds.of(id);
        if (order.kind.payAsYouGo()) {
            charge(order, held, from, to, now);
        } else {
            serve(order, held, from, to);
        }
        order.meteredUntil = to;
    }

    /** The order's running minutes in [from, to), GPU by GPU, charged minute by minute in time order. */
    private void charge(OrderEntity order, List<Holds.Hold> held, Instant from, Instant to, Instant now) {
        TreeMap<Instant, Set<Long>> running = new TreeMap<>();
        for (Holds.Hold hold : held) {
            for (RunningMinutes gpu : pools.runningMinutes(MarketLeases.leaseId(order.id, hold.gpuId()), from, to)) {
                for (Instant minute : gpu.minutes()) {
                    if (minute.plusSeconds(60).isAfter(hold.lower()) && (hold.upper() == null || minute.isBefore(hold.upper()))) {
                        running.computeIfAbsent(minute, m -> new TreeSet<>()).add(hold.gpuId());
                    }
                }
            }
        }
        Map<Instant, String> payers = payers(order, running.keySet());
        boolean shortOfCredits = false;
        String lastPayer = null;
        for (Map.Entry<Instant, Set<Long>> minute : running.entrySet()) {
            long k = order.minuteNumber(minute.getKey());
            DataCredits due = Credits.minuteCharge(order.dcPerGpuHour, k);
            String payer = payers.get(minute.getKey());
            shortOfCredits &= payer.equals(lastPayer); // a new holder's balance is another matter
            lastPayer = payer;
            for (long gpuId : minute.getValue()) {
                order.chargedMinutes++;
                if (due.isZero()) {
                    continue;
                }
                Posted posted = credits.burnFromBalanceUpTo(key(order.id, gpuId, minute.getKey()), WalletAddress.of(lastPayer), order.poolId,
                        gpuId, minute.getKey(), due, "order " + order.id + ", minute " + k + " on GPU " + gpuId);
                if (posted.applied()) {
                    order.chargedDc = Math.addExact(order.chargedDc, posted.amount().value());
                }
                shortOfCredits |= posted.amount().compareTo(due) < 0;
            }
        }
        if (lastPayer != null && order.dcPerGpuHour > 0
                && (shortOfCredits || credits.balance(WalletAddress.of(lastPayer)).dc().isZero())
                && order.outOfCredits(now, lastPayer)) {
            holds.endAt(order.id, order.end);
        }
    }

    /** A reservation's minutes in [from, to): served where its GPU was online, else refunded to the slot's holder. */
    private void serve(OrderEntity order, List<Holds.Hold> held, Instant from, Instant to) {
        Map<Long, Set<Instant>> online = pools.onlineMinutes(held.stream().map(Holds.Hold::gpuId).distinct().toList(), from, to);
        List<Instant> minutes = new ArrayList<>();
        for (Instant m = from; m.isBefore(to); m = m.plusSeconds(60)) {
            if (!m.isBefore(order.start) && m.isBefore(order.end)) {
                minutes.add(m);
            }
        }
        Map<Instant, String> payers = null;
        for (Instant minute : minutes) {
            long k = order.minuteNumber(minute);
            DataCredits due = Credits.minuteCharge(order.dcPerGpuHour, k);
            for (Holds.Hold hold : held) {
                if (hold.lower().isAfter(minute) || !minute.isBefore(hold.upper())) {
                    continue; // another GPU serves this minute (a failover moved the hold)
                }
                if (online.getOrDefault(hold.gpuId(), Set.of()).contains(minute)) {
                    order.chargedMinutes++;
                    order.chargedDc = Math.addExact(order.chargedDc, due.value());
                    continue;
                }
                order.refundedMinutes++;
                if (due.isZero()) {
                    continue;
                }
                if (payers == null) {
                    payers = payers(order, minutes);
                }
                Posted posted = credits.refundEscrowUpTo(key(order.id, hold.gpuId(), minute), Orders.escrowId(order.id),
                        WalletAddress.of(payers.get(minute)), due, "order " + order.id + ", minute " + k + " on GPU " + hold.gpuId()
                                + " unserved (the GPU was down)");
                if (posted.applied()) {
                    order.refundedDc = Math.addExact(order.refundedDc, posted.amount().value());
                }
            }
        }
    }

    /** The ledger key of a metered (order, GPU, minute): applied at most once. */
    static String key(long orderId, long gpuId, Instant minute) {
        return "market:order:" + orderId + ":gpu:" + gpuId + ":min:" + minute.getEpochSecond() / 60;
    }

    /** Who pays for each of these minutes: the slot's holder at the minute's end, or its customer while no holder is known. */
    private Map<Instant, String> payers(OrderEntity order, Collection<Instant> minutes) {
        Map<Instant, String> payers = new HashMap<>();
        for (Instant minute : minutes) {
            payers.put(minute, payerAt(order, minute.plusSeconds(60)));
        }
        return payers;
    }

    /** The wallet that pays for the order at {@code at}: its slot's holder then, or (before the mint is confirmed) its customer. */
    String payerAt(OrderEntity order, Instant at) {
        return chain.holderAt(AssetKind.TIME_SLOT, order.slotTokenId, at).map(h -> WalletAddress.of(h).value()).orElse(order.customer);
    }

    /**
     * For a running pay-as-you-go order: how many whole minutes its payer's balance covers at the rate
     * of all the running pay-as-you-go rentals that wallet pays for now, when that is under
     * {@code bc.market.low-balance-notice}; else (or for any other order) null. {@code rates} caches
     * each payer's rate and balance for one listing.
     */
    Long lowBalanceMinutes(OrderEntity order, Instant now, Map<String, long[]> rates) {
        if (!order.kind.payAsYouGo() || !order.status.open() || order.start.isAfter(now) || order.dcPerGpuHour == 0) {
            return null;
        }
        String payer = payerAt(order, now);
        long[] rateAndBalance = rates.computeIfAbsent(payer, p -> new long[] {dcPerHourPaidBy(p, now),
                credits.balance(WalletAddress.of(p)).dc().value()});
        if (rateAndBalance[0] == 0) {
            return null;
        }
        long minutes = BigInteger.valueOf(rateAndBalance[1]).multiply(BigInteger.valueOf(60))
                .divide(BigInteger.valueOf(rateAndBalance[0])).min(BigInteger.valueOf(Long.MAX_VALUE)).longValue();
        return minutes < config.lowBalanceNotice().toMinutes() ? minutes : null;
    }

    /** DC per hour, all GPUs, of the running pay-as-you-go rentals that {@code wallet} pays for now. */
    private long dcPerHourPaidBy(String wallet, Instant now) {
        List<BigInteger> held = chain.timeSlotsOf(wallet).stream().map(TimeSlot::tokenId).toList();
        List<OrderEntity> candidates = OrderEntity.list("kind <> ?1 and status in ?2 and start <= ?3 and (customer = ?4 or slotTokenId in ?5)",
                OrderKind.RESERVED, List.of(OrderStatus.STARTING, OrderStatus.RUNNING, OrderStatus.PREEMPTING), now, wallet,
                held.isEmpty() ? List.of(BigInteger.valueOf(-1)) : held);
        long rate = 0;
        for (OrderEntity o : candidates) {
            if (payerAt(o, now).equals(wallet)) {
                rate = Math.addExact(rate, Math.multiplyExact(o.dcPerGpuHour, o.gpus));
            }
        }
        return rate;
    }

    private static Instant earliest(Instant a, Instant b, Instant c) {
        Instant min = a.isBefore(b) ? a : b;
        return c != null && c.isBefore(min) ? c : min;
    }
}
