package credits;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A Stripe event that has been handled, by its id. {@link #claim} inserts it first in the
 * transaction that applies it, so a redelivery (or the same event delivered twice at once) waits
 * for the first and then finds it there.
 */
@Entity
@Table(name = "credits_card_event")
class CardEventEntity extends PanacheEntityBase {

    static final int MAX_OUTCOME = 500;

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(nullable = false)
    public String type;

    @Column(name = "api_version")
    public String apiVersion;

    @Column(nullable = false)
    public String outcome;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** True when this transaction is the first to see the event; false for a redelivery. */
    static boolean claim(String eventId, String type, String apiVersion, Instant now) {
        return getEntityManager().createNativeQuery("insert into credits_card_event (event_id, type, api_version, outcome, received_at) "
                        + "values (?1, ?2, ?3, 'received', ?4) on conflict (event_id) do nothing")
                .setParameter(1, eventId).setParameter(2, type).setParameter(3, apiVersion).setParameter(4, now)
                .executeUpdate() == 1;
    }

    static void recordOutcome(String eventId, String outcome) {
        String shortened = outcome.length() <= MAX_OUTCOME ? outcome : outcome.substring(0, MAX_OUTCOME - 1) + "…";
        update("outcome = ?1 where eventId = ?2", shortened, eventId);
    }
}
