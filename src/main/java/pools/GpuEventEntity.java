package pools;

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
import java.util.List;

/** One status change in a GPU's history. */
@Entity
@Table(name = "pools_gpu_event")
class GpuEventEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "gpu_id", nullable = false)
    public Long gpuId;

    @Enumerated(EnumType.STRING)
    @Column(name = "from_status")
    public GpuStatus fromStatus;

    @Enumerated(EnumType.STRING)
    @Column(name = "to_status", nullable = false)
    public GpuStatus toStatus;

    public String reason;

    @Column(nullable = false)
    public Instant at;

    /** How many times these GPUs went offline in [from, to): what reputation and member policies count as failures. */
    static int failures(List<Long> gpuIds, Instant from, Instant to) {
        if (gpuIds.isEmpty()) {
            return 0;
        }
        return (int) count("gpuId in ?1 and toStatus = ?2 and at >= ?3 and at < ?4", gpuIds, GpuStatus.OFFLINE, from, to);
    }
}
