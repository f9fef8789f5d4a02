package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A pool operator. Its id is the token id of its operator NFT; whoever holds that NFT is the
 * operator. Until the chain confirms the mint, the wallet that asked for it holds the rights.
 */
@Entity
@Table(name = "pools_operator")
class OperatorEntity extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
