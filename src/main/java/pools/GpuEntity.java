package pools;

import chain.Chain;
import chain.EffectStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
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

    /** The GPU, locked until the caller's change commits (a job holding it is waited for; see {@link PoolsJobs}), or a 404. */
    static GpuEntity locked(long gpuId) {
        return GpuEntity.<GpuEntity>findByIdOptional(gpuId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("There is no GPU " + gpuId));
    }

    /**
     * An operator's GPUs in a pool, locked in id order (so that two lockers never wait for each
     * other) and read again once locked: one loaded earlier in the transaction may be stale.
     */
    static List<GpuEntity> lockedOf(long poolId, long operatorId) {
        List<GpuEntity> gpus = GpuEntity.<GpuEntity>find("poolId = ?1 and operatorId = ?2 order by id", poolId, operatorId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        gpus.forEach(getEntityManager()::refresh);
        return gpus;
    }

    /** The ids of a pool's GPUs in service now ({@link GpuStatus#IN_SERVICE}), or of one operator's among them. */
    static List<Long> inService(long poolId, Optional<Long> operatorId) {
        return GpuEntity.<GpuEntity>list("poolId = ?1 and status in ?2", poolId, GpuStatus.IN_SERVICE).stream()
                .filter(g -> operatorId.isEmpty() || g.operatorId.equals(operatorId.get()))
                .map(g -> g.id).toList();
    }

    /** The ids of the GPUs in service of these operators, in every pool. */
    static List<Long> inServiceOf(List<Long> operatorIds) {
        if (operatorIds.isEmpty()) {
            return List.of();
        }
        return GpuEntity.<GpuEntity>list("operatorId in ?1 and status in ?2", operatorIds, GpuStatus.IN_SERVICE).stream()
                .map(g -> g.id).toList();
    }

    /** A new GPU's id (also its GPU NFT's token id), from the sequence that keeps ids unique. */
    static long nextId() {
        return ((Number) getEntityManager().createNativeQuery("select nextval('pools_gpu_id_seq')").getSingleResult()).longValue();
    }

    /** The chain outbox key of the GPU's current mint request: a retry is a new effect under a new key. */
    String mintKey() {
        String first = "gpu-nft:" + id;
        return mintAttempt == 0 ? first : first + "-retry-" + mintAttempt;
    }

    /** Why the chain refused the GPU's current mint request (its outbox effect FAILED), if it did. */
    Optional<String> mintRefusal(Chain chain) {
        if (mintTo == null || status.inService() || status == GpuStatus.RETIRED) {
            return Optional.empty();
        }
        return chain.effect(mintKey()).filter(e -> e.status() == EffectStatus.Status.FAILED)
                .map(e -> e.lastError() == null || e.lastError().isBlank() ? "refused by the chain" : e.lastError());
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
