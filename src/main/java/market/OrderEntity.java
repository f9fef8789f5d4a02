package market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import platform.DomainException;
import pools.Workload;

/**
 * An order ({@code market_order}, V53): what a customer asked for under which idempotency key, its
 * terms, and where it is in its life. It guards its own transitions ({@link #stop}, {@link #giveNotice});
 * which GPUs it holds when is in {@link Holds}.
 */
@Entity
@Table(name = "market_order")
class OrderEntity extends PanacheEntityBase {

    /** From {@link #nextId()}: the slot's token id derives from it, so it is known before the row is written. */
    @Id
    Long id;

    @Column(nullable = false)
    String customer;

    @Column(name = "idempotency_key", nullable = false)
    String idempotencyKey;

    @Column(name = "request_hash", nullable = false)
    String requestHash;

    @Column(name = "pool_id", nullable = false)
    long poolId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    OrderKind kind;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    OrderStatus status;

    @Column(nullable = false)
    int gpus;

    @Column(name = "start_at", nullable = false)
    Instant start;

    /** A reservation's end; a pay-as-you-go rental's once it ended. */
    @Column(name = "end_at")
    Instant end;

    @Column(name = "dc_per_gpu_hour", nullable = false)
    long dcPerGpuHour;

    @Column(name = "price_dc", nullable = false)
    long priceDc;

    @Column(name = "charged_dc", nullable = false)
    long chargedDc;

    @Column(name = "guaranteed_until")
    Instant guaranteedUntil;

    @Column(name = "notice_stops_at")
    Instant noticeStopsAt;

    /** The workload as JSON ({@link pools.Workload}), or null. */
    @JdbcTypeCode(SqlTypes.JSON)
    String workload;

    @Column(name = "slot_token_id", nullable = false, unique = true)
    BigInteger slotTokenId;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "ended_at")
    Instant endedAt;

    /** Every minute before it is metered for all of the order's GPUs (V56); null: none yet. */
    @Column(name = "metered_until")
    Instant meteredUntil;

    /** GPU-minutes charged (pay-as-you-go) or served (reservations). */
    @Column(name = "charged_minutes", nullable = false)
    long chargedMinutes;

    /** What a reservation's unserved GPU-minutes gave back from its escrow. */
    @Column(name = "refunded_dc", nullable = false)
    long refundedDc;

    @Column(name = "refunded_minutes", nullable = false)
    long refundedMinutes;

    /** Why the market ended the order (its payer's DCs ran out), else null. */
    @Column(name = "end_reason")
    String endReason;

    /** The order this one's slot was split from (V59); null for an order a customer placed and for a merged slot. */
    @Column(name = "parent_order_id")
    Long parentOrderId;

    /** A pay-as-you-go order that ended: whether the close of its slot was asked for ({@link SlotJobs}). */
    @Column(name = "slot_close_requested", nullable = false)
    boolean slotCloseRequested;

    /** Workloads as stored: {@link pools.Workload} is a plain record, so Jackson's defaults read and write it. */
    private static final ObjectMapper JSON = new ObjectMapper();

    Workload workload() {
        return workload(workload);
    }

    /** A workload as stored (JSON), or null. */
    static Workload workload(String json) {
        try {
            return json == null ? null : JSON.readValue(json, Workload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored workload no longer reads: " + e.getMessage(), e);
        }
    }

    void workload(Workload value) {
        try {
            workload = value == null ? null : JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static long nextId() {
        return ((Number) getEntityManager().createNativeQuery("select nextval('market_order_seq')").getSingleResult()).longValue();
    }

    static Optional<OrderEntity> byKey(String customer, String key) {
        return find("customer = ?1 and idempotencyKey = ?2", customer, key).firstResultOptional();
    }

    /** The order, locked until the transaction ends (a job or another request changing it is waited for). */
    static Optional<OrderEntity> locked(long id) {
        return findByIdOptional(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The order of a time slot, locked until the transaction ends. */
    static Optional<OrderEntity> bySlot(java.math.BigInteger tokenId) {
        return find("slotTokenId", tokenId).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /**
     * A new order for a piece of a slot that {@code holder} split or merged on chain (its parents'
     * kind, pool, rate and workload; its price is what its escrow receives, set by the caller): not
     * placed under a customer's key, so its key has a space, which no Idempotency-Key may have.
     */
    static OrderEntity piece(OrderEntity like, String holder, java.math.BigInteger tokenId, int gpus, Instant start, Instant end,
                             Long parentOrderId, Instant now) {
        OrderEntity piece = new OrderEntity();
        piece.id = nextId();
        piece.customer = holder;
        piece.idempotencyKey = "slot " + tokenId;
        piece.requestHash = like.requestHash;
        piece.poolId = like.poolId;
        piece.kind = like.kind;
        piece.gpus = gpus;
        piece.start = start;
        piece.end = end;
        piece.dcPerGpuHour = like.dcPerGpuHour;
        piece.workload = like.workload;
        piece.slotTokenId = tokenId;
        piece.parentOrderId = parentOrderId;
        piece.createdAt = now;
        piece.status = !like.status.open() ? like.status : start.isAfter(now) ? OrderStatus.SCHEDULED : OrderStatus.STARTING;
        return piece;
    }

    /** Its slot was split or merged away on chain at {@code at}: the pieces' orders hold its GPUs from now on. */
    void replaced(OrderStatus how, Instant at) {
        if (how != OrderStatus.SPLIT && how != OrderStatus.MERGED) {
            throw new IllegalArgumentException("replaced by a split or a merge, not " + how);
        }
        status = how;
        endedAt = at;
    }

    static List<OrderEntity> ofCustomer(String customer, int limit) {
        return find("customer = ?1 order by id desc", customer).page(0, limit).list();
    }

    /** Writes what allocation decided: when it starts, how long it is guaranteed, when a spot rental's notice ends. */
    void settle(Instant startsAt, Instant guaranteed, Instant stopsAt, Instant now, Duration notice) {
        start = startsAt;
        guaranteedUntil = guaranteed;
        noticeStopsAt = stopsAt;
        status = startsAt.isAfter(now) ? OrderStatus.SCHEDULED : OrderStatus.STARTING;
        if (stopsAt != null && !stopsAt.minus(notice).isAfter(now)) {
            status = OrderStatus.PREEMPTING;
        }
    }

    /**
     * Its customer stops a pay-as-you-go rental now (its holds end now, see {@link Holds#endAt}). A
     * reservation is prepaid and its slot may have changed hands: it runs to its end. Stopping an
     * order that already ended changes nothing.
     */
    boolean stop(Instant now) {
        if (kind == OrderKind.RESERVED) {
            throw DomainException.conflict("Order " + id + " is a reservation: it is paid in full and runs until " + end
                    + "; it cannot be stopped (its slot can be sold instead)");
        }
        if (!status.open()) {
            return false;
        }
        status = OrderStatus.STOPPED;
        end = now.isAfter(start) ? now : start; // stopped before it started: it never ran
        endedAt = now;
        return true;
    }

    /**
     * The payer of a running pay-as-you-go rental has no DCs left: it stops now, like {@link #stop},
     * with the reason; a reservation (prepaid) or an order that already ended is left as it is.
     */
    boolean outOfCredits(Instant now, String payer) {
        if (!kind.payAsYouGo() || !status.open()) {
            return false;
        }
        status = OrderStatus.STOPPED;
        end = now.isAfter(start) ? now : start;
        endedAt = now;
        endReason = "out of DCs: the balance of " + payer + " is used up";
        return true;
    }

    /** The first minute to meter: the minute the order starts in. */
    Instant firstMinute() {
        return start.truncatedTo(ChronoUnit.MINUTES);
    }

    /**
     * Where metering ends (exclusive, on a minute): a reservation's end; a pay-as-you-go rental's
     * end, rounded up to a whole minute (the minute it stopped in is charged if its workload ran in
     * it), once it has ended; null while it runs.
     */
    Instant meteringEnd() {
        Instant last = end != null ? end : status.open() ? null : endedAt;
        if (last == null) {
            return null;
        }
        Instant minute = last.truncatedTo(ChronoUnit.MINUTES);
        return minute.equals(last) ? last : minute.plusSeconds(60);
    }

    /** Minute {@code minute} (its start) as the rental's k-th minute, counting from 1 (Credits.minuteCharge's k). */
    long minuteNumber(Instant minute) {
        return (minute.getEpochSecond() - firstMinute().getEpochSecond()) / 60 + 1;
    }

    /**
     * A reservation or an on-demand rental takes this spot rental's GPU from {@code stopsAt}: it stops
     * then (or at an earlier notice it has already), and is PREEMPTING once the notice runs.
     */
    boolean giveNotice(Instant stopsAt, Instant now, Duration notice) {
        if (kind != OrderKind.SPOT) {
            throw new IllegalStateException("only spot rentals are preempted, not order " + id);
        }
        if (!status.open()) {
            return false;
        }
        noticeStopsAt = noticeStopsAt == null || stopsAt.isBefore(noticeStopsAt) ? stopsAt : noticeStopsAt;
        if (!noticeStopsAt.minus(notice).isAfter(now)) {
            status = OrderStatus.PREEMPTING;
        }
        return true;
    }

    /**
     * The order as its customer sees it; {@code endpoint}: where the node agent reports its workload
     * running (null: not reported running), which makes a STARTING order RUNNING; {@code lowBalanceMinutes}:
     * how many minutes its payer's balance still covers, when that is under the notice (else null).
     */
    OrderView view(String endpoint, Long lowBalanceMinutes) {
        OrderStatus shown = endpoint != null && status == OrderStatus.STARTING ? OrderStatus.RUNNING : status;
        return new OrderView(id, kind, shown, poolId, gpus, start, end, priceDc, chargedDc, slotTokenId, guaranteedUntil, noticeStopsAt,
                endpoint == null || endpoint.isEmpty() ? null : endpoint, chargedMinutes, refundedDc, refundedMinutes, meteredUntil,
                lowBalanceMinutes, endReason);
    }
}
