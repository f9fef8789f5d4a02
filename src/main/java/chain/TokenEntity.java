package chain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.math.BigInteger;
import java.util.Objects;

/** The database's copy of one NFT as the chain's events describe it. */
@Entity
@Table(name = "chain_token")
@IdClass(TokenEntity.Key.class)
class TokenEntity extends PanacheEntityBase {

    @Id
    @Enumerated(EnumType.STRING)
    public AssetKind kind;

    @Id
    @Column(name = "token_id", precision = 78)
    public BigInteger tokenId;

    @Column(nullable = false)
    public String contract;

    @Column(nullable = false)
    public String owner;

    @Column(nullable = false)
    public boolean burned;

    @Column(name = "minted_tx")
    public String mintedTx;

    @Column(name = "last_tx", nullable = false)
    public String lastTx;

    @Column(name = "last_block", nullable = false)
    public long lastBlock;

    @Column(name = "last_log_index", nullable = false)
    public int lastLogIndex;

    @Column(name = "user_address")
    public String userAddress;

    /** ERC-4907 expiry as the chain states it (uint64 seconds; see {@link ChainTime}). */
    @Column(name = "user_expires_seconds", precision = 20)
    public BigInteger userExpiresSeconds;

    @Column(name = "slot_pool", precision = 78)
    public BigInteger slotPool;

    @Column(name = "slot_gpu_count")
    public Long slotGpuCount;

    @Column(name = "slot_start_seconds", precision = 20)
    public BigInteger slotStartSeconds;

    @Column(name = "slot_end_seconds", precision = 20)
    public BigInteger slotEndSeconds;

    @Enumerated(EnumType.STRING)
    @Column(name = "slot_kind")
    public SlotKind slotKind;

    Token view() {
        Token.Slot slot = slotPool == null ? null
                : new Token.Slot(slotPool, slotGpuCount, new ChainTime(slotStartSeconds), new ChainTime(slotEndSeconds), slotKind);
        return new Token(kind, tokenId, contract, owner, burned, mintedTx, lastTx, lastBlock,
                userAddress, userExpiresSeconds == null ? null : new ChainTime(userExpiresSeconds), slot);
    }

    /** Whether an event at (block, logIndex) is newer than what this row already reflects. */
    boolean olderThan(long block, int logIndex) {
        return block > lastBlock || (block == lastBlock && logIndex > lastLogIndex);
    }

    static class Key implements Serializable {
        public AssetKind kind;
        public BigInteger tokenId;

        public Key() {
        }

        Key(AssetKind kind, BigInteger tokenId) {
            this.kind = kind;
            this.tokenId = tokenId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && Objects.equals(k.tokenId, tokenId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, tokenId);
        }
    }
}
