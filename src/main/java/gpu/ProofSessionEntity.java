package gpu;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A proof-of-GPU session: certification or a spot check, with the step the server waits for. */
@Entity
@Table(name = "gpu_proof_session")
class ProofSessionEntity extends PanacheEntityBase {

    enum Kind { CERTIFY, SPOT }

    enum State { OPEN, PASSED, FAILED }

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String operator;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    @Column(nullable = false)
    public int step;

    @Column(name = "step_sent_at")
    public Instant stepSentAt;

    @Column(name = "starts_at")
    public Instant startsAt;

    @Column(name = "allowance_ms")
    public Integer allowanceMs;

    @Column(nullable = false)
    public String state;

    public String reason;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** {@link ProofState} as JSON. */
    @Column(nullable = false)
    public String rounds;

    Kind kind() {
        return Kind.valueOf(kind);
    }
}
