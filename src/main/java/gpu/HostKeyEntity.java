package gpu;

import accounts.WalletAddress;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A key on one of an operator's GPU hosts. At most one active registration per address (a partial unique index). */
@Entity
@Table(name = "gpu_host_key")
class HostKeyEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String operator;

    @Column(nullable = false)
    public String address;

    @Column(nullable = false)
    public String label;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    HostKey view() {
        return new HostKey(id, WalletAddress.of(address), label, createdAt, revokedAt);
    }

    static boolean isActiveKeyOf(WalletAddress operator, WalletAddress address) {
        return count("operator = ?1 and address = ?2 and revokedAt is null", operator.value(), address.value()) > 0;
    }
}
