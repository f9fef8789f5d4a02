package gpu;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A certificate. {@code content} is its canonical JSON, kept verbatim so that anyone can hash it;
 * the database refuses two overlapping unrevoked certificates of one GPU for different operators.
 */
@Entity
@Table(name = "gpu_certificate")
class CertificateEntity extends PanacheEntityBase {

    @Id
    public String hash;

    @Column(name = "gpu_uuid", nullable = false)
    public String gpuUuid;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public String operator;

    @Column(name = "report_id", nullable = false)
    public UUID reportId;

    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "superseded_by")
    public String supersededBy;

    @Column(nullable = false)
    public String content;

    /** Issued by a demo network (no report; valid only in demo mode). */
    @Column(nullable = false)
    public boolean demo;

    /** bc-gpu-report/1 (a report alone), bc-proof/1 (a passed proof session and its report) or demo. */
    @Column(nullable = false)
    public String protocol = CertificateContent.REPORT_PROTOCOL;

    /** The proof session that proved the GPU (bc-proof/1). */
    @Column(name = "session_id")
    public UUID sessionId;
}
