package market;

import accounts.Caller;
import accounts.WalletAddress;
import chain.Chain;
import chain.ChainEffect;
import credits.Credits;
import credits.DataCredits;
import credits.EscrowTerms;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import platform.DomainException;
import pools.Pools;
import pools.Prices;
import pools.WorkloadState;
import pools.WorkloadStatus;

/**
 * Placing and stopping orders (DESIGN section 6). An order, its holds, its escrow (reservations), the
 * notice it gives spot rentals and its slot's mint commit in one transaction: a refusal (409 too few
 * GPUs, 402 too few DCs) changes nothing. A transaction the database breaks off (a deadlock between
 * two orders taking GPUs in different orders) is tried again.
 */
@ApplicationScoped
class Orders {

    /** The longest Idempotency-Key. */
    static final int MAX_KEY_LENGTH = 100;
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1," + MAX_KEY_LENGTH + "}");
    private static final int ATTEMPTS = 5;
    /** Deadlock, serialization failure, and a concurrent request with the same key (its order is found on the retry). */
    private static final Set<String> RETRYABLE = Set.of("40P01", "40001", "23505");

    private final Holds holds;
    private final Allocation allocation;
    private final Preemption preemption;
    private final Pools pools;
    private final Credits credits;
    private final Chain chain;
    private final Metering metering;
    private final MarketConfig config;
    private final Clock clock;

    Orders(Holds holds, Allocation allocation, Preemption preemption, Pools pools, Credits credits, Chain chain, Metering metering,
           MarketConfig config, Clock clock) {
        this.holds = holds;
        this.allocation = allocation;
        this.preemption = preemption;
        this.pools = pools;
        this.credits = credits;
        this.chain = chain;
        this.metering = metering;
        this.config = config;
        this.clock = clock;
    }

    /** The SQL state of a database refusal somewhere in {@code e}'s causes, or null. */
    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    static String checkKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw DomainException.invalid("Idempotency-Key: a header of 1 to " + MAX_KEY_LENGTH
                    + " printable characters without spaces that names this order, such as a UUID; sending it again gives the same order");
        }
        return key;
    }

    OrderView place(Caller caller, String key, OrderRequest request) {
        checkKey(key);
        for (int attempt = 1; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> placeOnce(caller.address().value(), key, request));
            } catch (RuntimeException e) {
                String state = sqlState(e);
                if (attempt >= ATTEMPTS || state == null || !RETRYABLE.contains(state)) {
                    throw e;
                }
            }
        }
    }

    private OrderView placeOnce(String customer, String key, OrderRequest request) {
        String digest = request.digest();
        var earlier = OrderEntity.byKey(customer, key);
        if (earlier.isPresent()) {
            return same(earlier.get(), digest);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        long poolId = request.poolId();
        Terms terms = terms(request, prices(poolId), now);
        long missing = terms.due() - credits.balance(WalletAddress.of(customer)).dc().value();
        if (missing > 0) {
            throw DomainException.paymentRequired("This order needs " + terms.due() + " DC " + terms.dueFor() + "; the balance is "
                    + (terms.due() - missing) + " DC, " + missing + " DC short");
        }
        OrderEntity order = new OrderEntity();
        order.customer = customer;
        order.idempotencyKey = key;
        order.requestHash = digest;
        order.poolId = poolId;
        order.kind = request.kind();
        order.status = OrderStatus.SCHEDULED;
        order.gpus = request.gpus();
        order.start = terms.start();
        order.end = terms.end();
        order.dcPerGpuHour = terms.dcPerGpuHour();
        order.priceDc = terms.priceDc();
        order.guaranteedUntil = terms.guaranteedUntil();
        order.workload(request.workload());
        order.createdAt = now;
        long id = OrderEntity.nextId();
        order.id = id;
        order.slotTokenId = slotTokenId(id);
        order.persist();
        order.flush(); // a concurrent request with the same key fails here (unique key), is retried and finds this one
        Allocation.Taken taken = switch (request.kind()) {
            case RESERVED -> allocation.reserve(id, poolId, request.gpus(), terms.start(), terms.end(), now);
            case ON_DEMAND -> allocation.onDemand(id, poolId, request.gpus(), now);
            case SPOT -> allocation.spot(id, poolId, request.gpus(), now);
        };
        if (taken.gpuIds().size() < request.gpus()) {
            int free = taken.gpuIds().size();
            throw DomainException.conflict((free == 0 ? "No GPU" : "Only " + free + (free == 1 ? " GPU" : " GPUs")) + " of pool " + poolId
                    + " " + (free == 1 ? "is" : "are") + " free for " + describe(request.kind(), terms) + "; the order asked for "
                    + request.gpus());
        }
        order.settle(taken.start(), request.kind() == OrderKind.ON_DEMAND ? taken.start().plus(config.onDemandHorizon()) : null,
                request.kind() == OrderKind.SPOT ? firstEnd(id) : null, now, config.preemptionNotice());
        if (request.kind() == OrderKind.RESERVED) {
            credits.escrow("market:order:" + id + ":escrow", WalletAddress.of(customer), escrowId(id), DataCredits.of(terms.priceDc()),
                    new EscrowTerms(poolId, taken.gpuIds().stream().sorted().toList(), terms.start(), terms.end()),
                    "reservation " + id + ": " + request.gpus() + " GPUs of pool " + poolId + " for " + Pricing.hours(terms.start(), terms.end()) + " h");
        }
        if (taken.preempts()) {
            preemption.noticeFor(taken.gpuIds(), taken.start(), order.end == null ? order.guaranteedUntil : order.end, now);
        }
        mintSlot(order);
        return order.view(null, null);
    }

    /** When a spot order's first hold ends (a firm hold starts on that GPU), or null. */
    private Instant firstEnd(long orderId) {
        return holds.of(orderId).stream().map(Holds.Hold::upper).filter(Objects::nonNull).min(Instant::compareTo).orElse(null);
    }

    static String escrowId(long orderId) {
        return "market-order-" + orderId;
    }

    /** A slot's token id: the order's id (orders count from 1; pieces of splits use ids from 2^128, see ChainEffect.MintTimeSlot). */
    static BigInteger slotTokenId(long orderId) {
        return BigInteger.valueOf(orderId);
    }

    private static OrderView same(OrderEntity earlier, String digest) {
        if (!earlier.requestHash.equals(digest)) {
            throw DomainException.conflict("The Idempotency-Key " + earlier.idempotencyKey + " was used for order " + earlier.id
                    + " with another body; use a new key for a new order");
        }
        return earlier.view(null, null);
    }

    /** What an order will be: its window, rate, price and what the balance must cover now. */
    record Terms(Instant start, Instant end, long dcPerGpuHour, long priceDc, Instant guaranteedUntil, long due, String dueFor) {
    }

    /** The pool's prices (404 when there is no such pool). */
    Prices prices(long poolId) {
        return pools.prices(poolId).orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
    }

    Terms terms(OrderRequest request, Prices prices, Instant now) {
        if (request.kind() == OrderKind.RESERVED) {
            Instant start = request.start();
            Instant end = request.end();
            if (start.getEpochSecond() % 3600 != 0 || start.getNano() != 0 || end.getEpochSecond() % 3600 != 0 || end.getNano() != 0) {
                throw DomainException.invalid("start, end: a reservation starts and ends on whole hours (UTC), such as 2026-12-04T10:00:00Z");
            }
            Instant thisHour = now.truncatedTo(ChronoUnit.HOURS);
            if (start.isBefore(thisHour)) {
                throw DomainException.invalid("start: a reservation starts in this hour (" + thisHour + ") or later, not " + start);
            }
            if (start.isAfter(now.plus(config.maxLeadTime()))) {
                throw DomainException.invalid("start: a reservation starts within " + config.maxLeadTime().toDays() + " days");
            }
            if (Duration.between(start, end).compareTo(config.maxReservation()) > 0) {
                throw DomainException.invalid("end: a reservation lasts at most " + config.maxReservation().toHours() + " hours");
            }
            long hours = Pricing.hours(start, end);
            long rate = Pricing.reservedRate(prices, hours);
            long price = Pricing.reservationPrice(rate, hours, request.gpus());
            return new Terms(start, end, rate, price, null, price, "for " + hours + " h of " + request.gpus() + " GPUs, paid at purchase");
        }
        long rate = Pricing.payAsYouGoRate(prices, request.kind());
        long due = Pricing.prepaid(rate, request.gpus(), config.prepaidMinutes());
        Instant guaranteed = request.kind() == OrderKind.ON_DEMAND ? now.plus(config.onDemandHorizon()) : null;
        return new Terms(now, null, rate, Math.multiplyExact(rate, request.gpus()), guaranteed, due,
                "to cover its first " + config.prepaidMinutes() + " minutes");
    }

    private static String describe(OrderKind kind, Terms terms) {
        return switch (kind) {
            case RESERVED -> "a reservation from " + terms.start() + " to " + terms.end();
            case ON_DEMAND -> "an on-demand rental from now";
            case SPOT -> "a spot rental now";
        };
    }

    /**
     * The order's time-slot NFT, minted to its customer through the chain outbox under a key of the
     * order (asking again changes nothing), of the order's kind: a reservation's slot is RESERVED over
     * its window; a spot or on-demand rental's is pay-as-you-go, open-ended until {@link SlotJobs}
     * closes it when the rental ends. The one place that says how an order becomes a slot.
     */
    private void mintSlot(OrderEntity o) {
        chain.request("market:slot:" + o.id, new ChainEffect.MintTimeSlot(o.customer, o.slotTokenId, BigInteger.valueOf(o.poolId),
                o.gpus, o.start, o.kind == OrderKind.RESERVED ? o.end : null, o.kind.slotKind()));
    }

    List<OrderView> ofCustomer(Caller caller, int limit) {
        return views(OrderEntity.ofCustomer(caller.address().value(), limit));
    }

    OrderView one(Caller caller, long id) {
        return views(List.of(own(caller, OrderEntity.<OrderEntity>findByIdOptional(id), id))).get(0);
    }

    /**
     * The orders as their customers see them: one that has started and whose workload the node agent
     * reports RUNNING on one of its GPUs is RUNNING, with that report's endpoint (pools keeps the
     * reports, by the lease ids of {@link MarketLeases#leaseId}); a running pay-as-you-go rental
     * whose payer's DCs run low says so ({@link Metering#lowBalanceMinutes}).
     */
    private List<OrderView> views(List<OrderEntity> orders) {
        List<Long> started = orders.stream().filter(o -> o.status == OrderStatus.STARTING || o.status == OrderStatus.RUNNING
                || o.status == OrderStatus.PREEMPTING).map(o -> o.id).toList();
        Map<String, Long> leases = new HashMap<>();
        if (!started.isEmpty()) {
            holds.ofOrders(started).forEach(h -> leases.put(MarketLeases.leaseId(h.orderId(), h.gpuId()), h.orderId()));
        }
        Map<Long, String> endpoints = new HashMap<>();
        if (!leases.isEmpty()) {
            for (WorkloadStatus workload : pools.workloads(leases.keySet())) {
                if (workload.state() == WorkloadState.RUNNING) {
                    endpoints.putIfAbsent(leases.get(workload.leaseId()), workload.endpoint() == null ? "" : workload.endpoint());
                }
            }
        }
        Instant now = clock.instant();
        Map<String, long[]> rates = new HashMap<>();
        return orders.stream().map(o -> o.view(endpoints.get(o.id), metering.lowBalanceMinutes(o, now, rates))).toList();
    }

    private static OrderEntity own(Caller caller, Optional<OrderEntity> order, long id) {
        return order.filter(o -> o.customer.equals(caller.address().value()))
                .orElseThrow(() -> DomainException.notFound("You have no order " + id));
    }

    /** Stops a pay-as-you-go rental now (see {@link OrderEntity#stop}): its holds end now, those not begun yet go. */
    OrderView stop(Caller caller, long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            OrderEntity order = own(caller, OrderEntity.locked(id), id);
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            if (order.stop(now)) {
                holds.endAt(id, now);
            }
            return views(List.of(order)).get(0);
        });
    }
}
