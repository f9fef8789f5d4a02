package accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An API key for the CLI and automation; only its SHA-256 and a short prefix for recognition are kept. */
@Entity
@Table(name = "accounts_api_key")
class ApiKeyEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String address;

    @Column(nullable = false)
    public String name;

    @Column(name = "key_hash", nullable = false)
    public String keyHash;

    @Column(name = "key_prefix", nullable = false)
    public String keyPrefix;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    ApiKey view() {
        return new ApiKey(id, name, keyPrefix, createdAt, lastUsedAt, revokedAt);
    }
}
