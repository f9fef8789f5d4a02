package market;

import accounts.Caller;
import chain.Chain;
import chain.ChainTime;
import chain.SlotListing;
import chain.SlotSale;
import chain.TimeSlot;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import platform.DomainException;
import pools.Pools;
import pools.Workload;
import pools.WorkloadState;
import pools.WorkloadStatus;

/**
 * The market's time slots as their holders and users see them, who may set what runs on one, and
 * SlotMarket's listings and sales. Who holds a slot is the chain's answer ({@link Chain#timeSlot},
 * confirmed events); a slot whose mint has not reached the chain yet is its customer's.
 */
@ApplicationScoped
class Slots {

    /** The most slots one list gives. */
    static final int MAX_LISTED = 500;
    /** A node agent's report older than this says nothing about now (its host is gone). */
    static final Duration FRESH_REPORT = Duration.ofMinutes(5);

    private final Holds holds;
    private final Chain chain;
    private final Pools pools;
    private final Clock clock;

    Slots(Holds holds, Chain chain, Pools pools, Clock clock) {
        this.holds = holds;
        this.chain = chain;
        this.pools = pools;
        this.clock = clock;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The caller's slots that the market follows: those it holds or may use (ERC-4907), and its orders' slots not minted yet. */
    List<SlotView> of(Caller caller) {
        String me = caller.address().value();
        Instant now = now();
        Map<BigInteger, TimeSlot> onChain = new LinkedHashMap<>();
        chain.timeSlotsOf(me).forEach(s -> onChain.put(s.tokenId(), s));
        chain.timeSlotsUsedBy(me, now).forEach(s -> onChain.putIfAbsent(s.tokenId(), s));
        Map<BigInteger, SlotView> views = new TreeMap<>();
        for (OrderEntity order : ordersOf(onChain.keySet())) {
            view(order, Optional.of(onChain.get(order.slotTokenId)), me, now).ifPresent(v -> views.put(v.tokenId(), v));
        }
        for (OrderEntity order : OrderEntity.<OrderEntity>find("customer = ?1 and status not in ?2 order by id desc", me,
                List.of(OrderStatus.SPLIT, OrderStatus.MERGED)).page(0, Market.MAX_ORDERS_LISTED).list()) {
            if (!views.containsKey(order.slotTokenId) && !onChain.containsKey(order.slotTokenId)) {
                view(order, chain.timeSlot(order.slotTokenId), me, now).ifPresent(v -> views.put(v.tokenId(), v));
            }
        }
        return views.values().stream().limit(MAX_LISTED).toList();
    }

    /** One slot, for its holder or its user (404 for anyone else: its workload is theirs). */
    SlotView one(Caller caller, BigInteger tokenId) {
        OrderEntity order = OrderEntity.<OrderEntity>find("slotTokenId", tokenId).firstResultOptional()
                .orElseThrow(() -> notFollowed(tokenId));
        return view(order, chain.timeSlot(tokenId), caller.address().value(), now())
                .orElseThrow(() -> DomainException.notFound("You neither hold nor use slot " + tokenId));
    }

    /**
     * Sets (or with null clears) what runs on the slot's GPUs: only its holder, or its user while
     * lent, may (403). The order is locked first, so a transfer that event sync applies meanwhile
     * either comes after (and clears it) or is seen here (and refuses the old holder). A new workload
     * is taken only once the node agent no longer reports one running or starting on the slot's
     * GPUs (409): the agent follows leases by id, so it would otherwise keep the previous one (the
     * old holder's, after a transfer) running under the new one's name.
     */
    SlotView setWorkload(Caller caller, BigInteger tokenId, Workload workload) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OrderEntity order = OrderEntity.bySlot(tokenId).orElseThrow(() -> notFollowed(tokenId));
            if (order.status == OrderStatus.SPLIT || order.status == OrderStatus.MERGED) {
                throw DomainException.conflict("Slot " + tokenId + " was " + (order.status == OrderStatus.SPLIT ? "split" : "merged")
                        + " on chain: set the workload of the slots it became");
            }
            Instant now = now();
            String me = caller.address().value();
            Optional<TimeSlot> slot = chain.timeSlot(tokenId);
            Optional<SlotView> view = view(order, slot, me, now);
            if (view.isEmpty()) {
                throw DomainException.forbidden("Only the holder of slot " + tokenId + ", or its user while it is lent (ERC-4907), "
                        + "sets what runs on it");
            }
            if (!order.status.open()) {
                throw DomainException.conflict("The rental of slot " + tokenId + " is " + order.status + ": nothing runs on it any more");
            }
            if (workload != null) {
                stillRunning(order, now).ifPresent(running -> {
                    throw DomainException.conflict("A workload still " + (running.state() == WorkloadState.RUNNING ? "runs" : "starts")
                            + " on GPU " + running.gpuId() + " of slot " + tokenId + " (reported " + running.reportedAt() + "): "
                            + (order.workload == null ? "the node agent stops it now that the slot's workload is cleared"
                            : "clear the slot's workload first (workload null)") + ", and set the new one once it reports it stopped");
                });
            }
            order.workload(workload);
            return view(order, slot, me, now).orElseThrow();
        });
    }

    /** A fresh report of a workload running or starting on one of the order's GPUs, if there is one. */
    private Optional<WorkloadStatus> stillRunning(OrderEntity order, Instant now) {
        List<String> leaseIds = holds.of(order.id).stream().map(h -> MarketLeases.leaseId(order.id, h.gpuId())).distinct().toList();
        Instant fresh = now.minus(FRESH_REPORT);
        return pools.workloads(leaseIds).stream().filter(w -> w.state() == WorkloadState.RUNNING || w.state() == WorkloadState.STARTING)
                .filter(w -> w.reportedAt() != null && !w.reportedAt().isBefore(fresh)).findFirst();
    }

    /** The slot as {@code me} sees it, or empty when {@code me} neither holds it nor may use it now. */
    private Optional<SlotView> view(OrderEntity order, Optional<TimeSlot> onChain, String me, Instant now) {
        String holder = onChain.map(TimeSlot::holder).orElse(order.customer);
        boolean burned = onChain.map(TimeSlot::burned).orElse(false);
        Optional<String> user = onChain.flatMap(s -> s.userAt(now));
        String role = holder.equals(me) ? "HOLDER" : user.filter(me::equals).isPresent() ? "USER" : null;
        if (burned || role == null) {
            return Optional.empty();
        }
        List<Long> gpuIds = holds.of(order.id).stream().map(Holds.Hold::gpuId).distinct().sorted().toList();
        Instant end = onChain.map(s -> instant(s.terms().end())).orElse(order.end);
        return Optional.of(new SlotView(order.slotTokenId, order.id, order.kind, order.status, order.poolId, order.gpus, order.start, end,
                holder, user.orElse(null), user.isPresent() ? onChain.get().userExpires().instant().orElse(null) : null,
                onChain.isPresent(), gpuIds, order.workload(), role));
    }

    private static DomainException notFollowed(BigInteger tokenId) {
        return DomainException.notFound("The market follows no slot " + tokenId);
    }

    /** A chain time as an instant; null for "never" (a pay-as-you-go slot still open). */
    private static Instant instant(ChainTime time) {
        return time.never() ? null : time.instant().orElse(null);
    }

    private static List<OrderEntity> ordersOf(Collection<BigInteger> tokenIds) {
        return tokenIds.isEmpty() ? List.of() : OrderEntity.<OrderEntity>find("slotTokenId in ?1", new ArrayList<>(tokenIds)).list();
    }

    private static Map<BigInteger, Long> orderIds(Collection<BigInteger> tokenIds) {
        Map<BigInteger, Long> ids = new HashMap<>();
        ordersOf(tokenIds).forEach(o -> ids.put(o.slotTokenId, o.id));
        return ids;
    }

    List<SlotListingView> listings(Optional<BigInteger> pool, int limit) {
        List<SlotListing> listings = chain.activeListings(pool, limit);
        Map<BigInteger, Long> orders = orderIds(listings.stream().map(SlotListing::tokenId).toList());
        return listings.stream().map(l -> new SlotListingView(l.tokenId(), orders.get(l.tokenId()), l.seller(), l.price(), l.terms().pool(),
                l.terms().gpuCount(), instant(l.terms().start()), instant(l.terms().end()), l.terms().kind(), l.listedAt(), l.txHash()))
                .toList();
    }

    List<SlotSaleView> sales(Optional<BigInteger> pool, int limit) {
        return chain.slotSales(pool, limit).stream().map((SlotSale s) -> new SlotSaleView(s.txHash(), s.at(), s.listedTokenId(),
                s.pieceId(), s.seller(), s.buyer(), s.price(), s.pieceTerms().pool(), s.pieceTerms().gpuCount(),
                instant(s.pieceTerms().start()), instant(s.pieceTerms().end()), s.pieceTerms().kind())).toList();
    }
}
