package gpu;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/** One GPU of a proof session: its model, its state and the rounds' measured times. */
@Entity
@Table(name = "gpu_proof_gpu")
@IdClass(ProofGpuEntity.Key.class)
class ProofGpuEntity extends PanacheEntityBase {

    /** The primary key: session and position. */
    public static class Key implements Serializable {
        public UUID sessionId;
        public int position;

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && Objects.equals(sessionId, k.sessionId) && position == k.position;
        }

        @Override
        public int hashCode() {
            return Objects.hash(sessionId, position);
        }
    }

    @Id
    @Column(name = "session_id")
    public UUID sessionId;

    @Id
    public int position;

    @Column(name = "gpu_uuid", nullable = false)
    public String gpuUuid;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public String state;

    public String reason;

    @Column(name = "compute_ms")
    public Integer computeMs;

    @Column(name = "compute_deadline_ms")
    public Integer computeDeadlineMs;

    @Column(name = "memory_ms")
    public Integer memoryMs;

    @Column(name = "memory_deadline_ms")
    public Integer memoryDeadlineMs;

    public String certificate;

    boolean open() {
        return ProofSessionEntity.State.OPEN.name().equals(state);
    }

    void fail(String why) {
        state = ProofSessionEntity.State.FAILED.name();
        reason = why;
    }

    static List<ProofGpuEntity> of(UUID session) {
        return list("sessionId = ?1 order by position", session);
    }
}
