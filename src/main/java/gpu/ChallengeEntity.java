package gpu;

import accounts.WalletAddress;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Duration;
import java.time.Instant;

/** A challenge: good for one report upload by its operator, until it expires. */
@Entity
@Table(name = "gpu_challenge")
class ChallengeEntity extends PanacheEntityBase {

    @Id
    public String nonce;

    @Column(nullable = false)
    public String operator;

    @Column(nullable = false)
    public String seed;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    Challenge view(Duration minStability) {
        return new Challenge(nonce, seed, WalletAddress.of(operator), issuedAt, expiresAt, minStability.toSeconds());
    }

    /** Marks the challenge used if nobody has; true when this call was the one that used it (safe under concurrency). */
    static boolean consume(String nonce, Instant now) {
        return update("usedAt = ?1 where nonce = ?2 and usedAt is null", now, nonce) == 1;
    }
}
