package market;

import accounts.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import pools.Workload;

/**
 * The market's facade (DESIGN section 6): offers, availability and quotes, which change nothing;
 * orders, which allocate specific GPUs in the database (see V53 for the constraints that keep holds
 * from overlapping), pay (reservations in full into escrow, pay-as-you-go per minute from the
 * balance) and mint the order's time-slot NFT, all in one transaction.
 */
@ApplicationScoped
public class Market {

    /** The most orders one list gives, newest first. */
    public static final int MAX_ORDERS_LISTED = 200;
    /** The longest Idempotency-Key. */
    public static final int MAX_IDEMPOTENCY_KEY = Orders.MAX_KEY_LENGTH;

    /** The most listings or sales one list gives. */
    public static final int MAX_ROWS = chain.Chain.MAX_ROWS;

    private final Orders orders;
    private final Catalog catalog;
    private final PoolAllocations allocations;
    private final Slots slots;

    Market(Orders orders, Catalog catalog, PoolAllocations allocations, Slots slots) {
        this.orders = orders;
        this.catalog = catalog;
        this.allocations = allocations;
        this.slots = slots;
    }

    /**
     * Places an order for the caller, identified by {@code idempotencyKey}: the same key with the same
     * request gives the same order (and changes nothing), with another request a 409. Refused with a
     * 409 that says how many GPUs are free, a 402 that says how many DCs are missing, a 400 for input
     * outside the rules; a refusal changes nothing.
     */
    public OrderView order(Caller caller, String idempotencyKey, OrderRequest request) {
        return orders.place(caller, idempotencyKey, request);
    }

    @Transactional
    public List<OrderView> orders(Caller caller) {
        return orders.ofCustomer(caller, MAX_ORDERS_LISTED);
    }

    /** One of the caller's orders (404 for another's). */
    @Transactional
    public OrderView order(Caller caller, long orderId) {
        return orders.one(caller, orderId);
    }

    /** Stops one of the caller's pay-as-you-go rentals now; a reservation cannot be stopped (409). */
    public OrderView stop(Caller caller, long orderId) {
        return orders.stop(caller, orderId);
    }

    @Transactional
    public List<Offer> offers(OfferFilter filter) {
        return catalog.offers(filter);
    }

    /** Free GPUs for reservation, hour by hour over [start, end) (defaults: 24 hours from this hour). */
    @Transactional
    public Availability availability(long poolId, Instant start, Instant end) {
        return catalog.availability(poolId, start, end);
    }

    /** {@link #availability(long, Instant, Instant)} of several of the marketplace's pools over one window, for its charts. */
    @Transactional
    public Map<Long, Availability> availability(Collection<Long> poolIds, Instant start, Instant end) {
        return catalog.availability(poolIds, start, end);
    }

    /** What an order would cost and how many GPUs are free for it; changes nothing. */
    @Transactional
    public Quote quote(OrderRequest request) {
        return catalog.quote(request);
    }

    /**
     * The pool's allocations over [from, to) (defaults: 48 hours from this hour): every hold on its
     * GPUs, by GPU and start, at most {@value PoolAllocations#MAX_HOLDS}; for its operator only (403).
     */
    @Transactional
    public List<PoolHold> poolHolds(Caller caller, long poolId, Instant from, Instant to) {
        return allocations.of(caller, poolId, from, to);
    }

    /** The caller's time slots: those it holds or may use (ERC-4907), with their orders, GPUs and workloads. */
    @Transactional
    public List<SlotView> slots(Caller caller) {
        return slots.of(caller);
    }

    /** One slot, for its holder or its user (404 otherwise). */
    @Transactional
    public SlotView slot(Caller caller, BigInteger tokenId) {
        return slots.one(caller, tokenId);
    }

    /** Sets (null: clears) what runs on a slot: its holder, or its user while lent; 403 for anyone else. */
    public SlotView setSlotWorkload(Caller caller, BigInteger tokenId, Workload workload) {
        return slots.setWorkload(caller, tokenId, workload);
    }

    /** Slots for sale on SlotMarket that can be bought now, of one pool or all, newest first. */
    @Transactional
    public List<SlotListingView> listings(Optional<BigInteger> pool, int limit) {
        return slots.listings(pool, limit);
    }

    /** SlotMarket's sales (a price history), of one pool or all, newest first. */
    @Transactional
    public List<SlotSaleView> sales(Optional<BigInteger> pool, int limit) {
        return slots.sales(pool, limit);
    }
}
