package gpu;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The gpu module's facade for proof of GPU (issue 12; docs/gpu-certification.md, "Proof of GPU"):
 * certification sessions of rounds the server times, and the node agent's spot checks. Settlement
 * and the pools' pages read spot-check results here.
 */
@ApplicationScoped
public class ProofOfGpu {

    private static final int MAX_RECENT = 100;
    private static final String RESULT = "select gpu_uuid, starts_at, passed, reason, elapsed_ms, deadline_ms from gpu_spot_result ";

    private final EntityManager em;

    ProofOfGpu(EntityManager em) {
        this.em = em;
    }

    /**
     * Spot checks that started in [from, to) and that a GPU failed or missed, oldest first: each
     * removes that GPU's online seconds of the hour it started in (the settlement rule).
     */
    @Transactional
    public List<SpotResult> failedSpotChecks(Instant from, Instant to) {
        return results(em.createNativeQuery(RESULT + "where passed = false and starts_at >= ?1 and starts_at < ?2 order by starts_at, gpu_uuid")
                .setParameter(1, Timestamp.from(from)).setParameter(2, Timestamp.from(to)).getResultList());
    }

    /** The GPU's latest spot checks, newest first, at most {@code limit} (up to 100). */
    @Transactional
    public List<SpotResult> recentSpotChecks(String gpuUuid, int limit) {
        return results(em.createNativeQuery(RESULT + "where gpu_uuid = ?1 order by starts_at desc limit ?2")
                .setParameter(1, gpuUuid).setParameter(2, Math.max(1, Math.min(MAX_RECENT, limit))).getResultList());
    }

    @SuppressWarnings("unchecked")
    private static List<SpotResult> results(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new SpotResult((String) r[0], instant(r[1]), (Boolean) r[2], (String) r[3],
                r[4] == null ? null : ((Number) r[4]).intValue(), r[5] == null ? null : ((Number) r[5]).intValue())).toList();
    }

    private static Instant instant(Object value) {
        return value instanceof Timestamp t ? t.toInstant() : value instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) value;
    }
}
