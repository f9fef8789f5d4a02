package gpu;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An uploaded report, certified or refused, kept with its reasons (JSON) and its canonical text. */
@Entity
@Table(name = "gpu_report")
class ReportEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String operator;

    public String nonce;

    public String signer;

    @Column(name = "gpu_uuid")
    public String gpuUuid;

    @Column(name = "gpu_name")
    public String gpuName;

    @Column(name = "model_id")
    public String modelId;

    @Column(name = "submitted_at", nullable = false)
    public Instant submittedAt;

    @Column(nullable = false)
    public boolean certified;

    @Column(nullable = false)
    public String reasons;

    @Column(nullable = false)
    public String body;
}
