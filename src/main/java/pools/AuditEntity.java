package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** One change of membership: who did it (a wallet, or "policy") and why. */
@Entity
@Table(name = "pools_membership_audit")
class AuditEntity extends PanacheEntityBase {

    static final String POLICY = "policy";

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "pool_id", nullable = false)
    public Long poolId;

    @Column(name = "operator_id", nullable = false)
    public Long operatorId;

    @Column(nullable = false)
    public String action;

    public String reason;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    static void record(Long poolId, Long operatorId, String action, String reason, String actor, Instant at) {
        AuditEntity entry = new AuditEntity();
        entry.poolId = poolId;
        entry.operatorId = operatorId;
        entry.action = action;
        entry.reason = reason;
        entry.actor = actor;
        entry.at = at;
        entry.persist();
    }
}
