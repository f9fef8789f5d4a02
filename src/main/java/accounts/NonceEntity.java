package accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;

/** A sign-in nonce: usable once, until it expires. */
@Entity
@Table(name = "accounts_siwe_nonce")
class NonceEntity extends PanacheEntityBase {

    @Id
    public String nonce;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** Marks the nonce used if it is unused and fresh; true when this call was the one that used it. */
    static boolean consume(String nonce, Instant now) {
        return update("usedAt = ?1 where nonce = ?2 and usedAt is null and expiresAt > ?1", now, nonce) == 1;
    }
}
