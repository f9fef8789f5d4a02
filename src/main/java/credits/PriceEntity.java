package credits;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One price an admin set, with the outbox key it was pushed to the chain with. Never changed once written. */
@Entity
@Table(name = "credits_price")
class PriceEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "price_e8", nullable = false)
    public long priceE8;

    @Column(name = "observed_at", nullable = false)
    public Instant observedAt;

    @Column(name = "set_by", nullable = false)
    public String setBy;

    @Column(name = "effect_key", nullable = false)
    public String effectKey;

    @Column(name = "set_at", nullable = false)
    public Instant setAt;
}
