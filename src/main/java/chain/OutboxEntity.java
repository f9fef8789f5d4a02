package chain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One effect on its way to the chain: PENDING, then SENT (signed with its own nonce), then CONFIRMED or FAILED. */
@Entity
@Table(name = "chain_outbox")
class OutboxEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "effect_key", nullable = false, unique = true)
    public String effectKey;

    @Column(nullable = false)
    public String kind;

    /** Null for a plain ether transfer ({@link ChainEffect.SendEther}). */
    @Enumerated(EnumType.STRING)
    public ContractName contract;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    public String payload;

    @Column(nullable = false)
    @Enumerated(EnumType.STRING)
    public EffectStatus.Status status;

    public String signer;

    /** The managed wallet that signs this effect (an act it asked for); null for the platform signer. */
    public String sender;

    /** What the wallet's account asked for (a {@link WalletActs.Act}); null for the platform's own effects. */
    public String act;

    /** The act in words, for the account's audit log. */
    public String description;

    public Long nonce;

    @Column(name = "tx_hash")
    public String txHash;

    @Column(name = "raw_tx")
    public String rawTx;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "signed_at")
    public Instant signedAt;

    @Column(name = "sent_at")
    public Instant sentAt;

    @Column(name = "block_number")
    public Long blockNumber;

    @Column(name = "confirmed_at")
    public Instant confirmedAt;

    EffectStatus view() {
        return new EffectStatus(effectKey, kind, contract, status, txHash, blockNumber, lastError, createdAt, confirmedAt);
    }

    void fail(String error) {
        lastError = error.length() > 1000 ? error.substring(0, 1000) : error;
    }
}
