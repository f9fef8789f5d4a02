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
}
