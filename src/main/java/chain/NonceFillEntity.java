package chain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/** A no-op transaction that takes the nonce of an outbox row the node refused for good (see {@link Relay}). */
@Entity
@Table(name = "chain_nonce_fill")
@IdClass(NonceFillEntity.Key.class)
class NonceFillEntity extends PanacheEntityBase {

    @Id
    public String signer;

    @Id
    public long nonce;

    @Column(name = "outbox_id", nullable = false)
    public long outboxId;

    @Column(name = "raw_tx", nullable = false)
    public String rawTx;

    @Column(name = "tx_hash", nullable = false)
    public String txHash;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "done_at")
    public Instant doneAt;

    static class Key implements Serializable {
        public String signer;
        public long nonce;

        public Key() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.nonce == nonce && Objects.equals(k.signer, signer);
        }

        @Override
        public int hashCode() {
            return Objects.hash(signer, nonce);
        }
    }
}
