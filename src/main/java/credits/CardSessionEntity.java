package credits;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A Stripe Checkout Session this platform created, and what became of its payment. */
@Entity
@Table(name = "credits_card_session")
class CardSessionEntity extends PanacheEntityBase {

    /** OPEN until Stripe reports it paid or expired; PAID and EXPIRED are final and exclude each other. */
    enum Status { OPEN, PAID, EXPIRED }

    @Id
    @Column(name = "session_id")
    public String sessionId;

    @Column(nullable = false)
    public String wallet;

    @Column(name = "amount_cents", nullable = false)
    public long amountCents;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "paid_cents")
    public Long paidCents;

    @Column(name = "payment_intent")
    public String paymentIntent;

    @Column(name = "refunded_cents", nullable = false)
    public long refundedCents;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "paid_at")
    public Instant paidAt;

    @Column(name = "expired_at")
    public Instant expiredAt;

    static CardSessionEntity open(String sessionId, String wallet, long amountCents, Instant now) {
        CardSessionEntity session = new CardSessionEntity();
        session.sessionId = sessionId;
        session.wallet = wallet;
        session.amountCents = amountCents;
        session.status = Status.OPEN;
        session.createdAt = now;
        session.persist();
        return session;
    }

    /** The session, locked until the transaction ends: events of one session are applied one at a time. */
    static Optional<CardSessionEntity> locked(String sessionId) {
        return Optional.ofNullable(findById(sessionId, LockModeType.PESSIMISTIC_WRITE));
    }

    static Optional<CardSessionEntity> lockedByPaymentIntent(String paymentIntent) {
        return find("paymentIntent", paymentIntent).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    static List<CardSessionEntity> recent(String wallet, int limit) {
        return find("wallet = ?1 order by createdAt desc", wallet).page(0, limit).list();
    }

    /** Records the payment; false when it was recorded before (a second event of the same session) or the session expired. */
    boolean markPaid(long paidCents, String paymentIntent, Instant now) {
        if (status != Status.OPEN) {
            return false;
        }
        this.status = Status.PAID;
        this.paidCents = paidCents;
        this.paymentIntent = paymentIntent;
        this.paidAt = now;
        return true;
    }

    /** Records that Stripe expired the session; false when it was paid or expired before. */
    boolean markExpired(Instant now) {
        if (status != Status.OPEN) {
            return false;
        }
        this.status = Status.EXPIRED;
        this.expiredAt = now;
        return true;
    }
}
