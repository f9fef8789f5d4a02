package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.LocalDate;
import platform.DomainException;

/** A physical GPU in a pool; its id is the token id of its GPU NFT. Its status changes only through {@link #moveTo}. */
@Entity
@Table(name = "pools_gpu")
class GpuEntity extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "pool_id", nullable = false)
    public Long poolId;

    @Column(name = "operator_id", nullable = false)
    public Long operatorId;

    @Column(name = "host_name", nullable = false)
    public String hostName;

    @Column(name = "serial_number", nullable = false)
    public String serialNumber;

    @Column(name = "gpu_uuid", nullable = false)
    public String gpuUuid;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public GpuStatus status;

    @Column(name = "certificate_hash")
    public String certificateHash;

    @Column(name = "mint_to")
    public String mintTo;

    @Column(name = "purchase_date")
    public LocalDate purchaseDate;

    @Column(name = "in_service_date")
    public LocalDate inServiceDate;

    @Column(name = "hosting_agreement_url")
    public String hostingAgreementUrl;

    @Column(name = "ownership_contract_url")
    public String ownershipContractUrl;

    @Column(name = "last_heartbeat_at")
    public Instant lastHeartbeatAt;

    @Column(name = "leaves_at")
    public Instant leavesAt;

    @Column(name = "registered_at", nullable = false)
    public Instant registeredAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** How many times the mint was asked again after the chain refused it (0: the first request). */
    @Column(name = "mint_attempt", nullable = false)
    public int mintAttempt;

    /** When the burn of a retired GPU's NFT was handed to the chain outbox. */
    @Column(name = "nft_burn_requested_at")
    public Instant nftBurnRequestedAt;

    /** The chain outbox key of the GPU's current mint request: a retry is a new effect under a new key. */
    String mintKey() {
        String first = "gpu-nft:" + id;
        return mintAttempt == 0 ? first : first + "-retry-" + mintAttempt;
    }

    /** The chain outbox key of the burn of the GPU's NFT once it is retired. */
    String burnKey() {
        return "gpu-nft-burn:" + id;
    }

    /** Moves to {@code next} if the lifecycle allows it, and records the change in the GPU's history. */
    void moveTo(GpuStatus next, Instant now, String reason) {
        if (!status.canBecome(next)) {
            throw DomainException.conflict("GPU " + id + " is " + status.name().toLowerCase()
                    + " and cannot become " + next.name().toLowerCase());
        }
        GpuEventEntity event = new GpuEventEntity();
        event.gpuId = id;
        event.fromStatus = status;
        event.toStatus = next;
        event.reason = reason;
        event.at = now;
        event.persist();
        status = next;
        updatedAt = now;
    }
}
