package credits;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;

/**
 * A refund or a dispute of a card payment: the DCs taken back from the wallet, and what it no
 * longer held (owed, a debt until settled).
 */
@Entity
@Table(name = "credits_card_reversal")
class CardReversalEntity extends PanacheEntityBase {

    enum Kind { REFUND, DISPUTE }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "session_id", nullable = false)
    public String sessionId;

    @Column(nullable = false)
    public String wallet;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind;

    @Column(nullable = false)
    public String reference;

    @Column(name = "taken_dc", nullable = false)
    public long takenDc;

    @Column(name = "owed_dc", nullable = false)
    public long owedDc;

    @Column(name = "settled_dc", nullable = false)
    public long settledDc;

    @Column(nullable = false)
    public boolean reinstated;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    static CardReversalEntity record(CardSessionEntity session, Kind kind, String reference, DataCredits taken, DataCredits owed,
                                     Instant now) {
        CardReversalEntity reversal = new CardReversalEntity();
        reversal.sessionId = session.sessionId;
        reversal.wallet = session.wallet;
        reversal.kind = kind;
        reversal.reference = reference;
        reversal.takenDc = taken.value();
        reversal.owedDc = owed.value();
        reversal.createdAt = now;
        reversal.persist();
        return reversal;
    }

    static Optional<CardReversalEntity> lockedByReference(String reference) {
        return find("reference", reference).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** What the wallet owes: debts left by refunds and disputes, less what has been settled. */
    static DataCredits debtOf(String wallet) {
        Number owed = getEntityManager().createQuery(
                        "select coalesce(sum(r.owedDc - r.settledDc), 0) from CardReversalEntity r where r.wallet = ?1", Number.class)
                .setParameter(1, wallet).getSingleResult();
        return DataCredits.of(owed.longValue());
    }
}
