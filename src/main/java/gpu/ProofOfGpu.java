package gpu;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
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

    /**
     * The failed or missed spot checks of these GPUs that started in [from, to), oldest first: what a
     * pool's reputation counts (one query on the GPU's index, whatever the network's failures).
     */
    @Transactional
    public List<SpotResult> failedSpotChecks(Collection<String> gpuUuids, Instant from, Instant to) {
        // A join with the UUIDs, not "= any(?)": the planner may filter a scan with a large array (Chain.holdersAt).
        return gpuUuids.isEmpty() ? List.of() : results(em.createNativeQuery("""
                        select r.gpu_uuid, r.starts_at, r.passed, r.reason, r.elapsed_ms, r.deadline_ms
                        from gpu_spot_result r join unnest(cast(?1 as varchar[])) as wanted(uuid) on r.gpu_uuid = wanted.uuid
                        where r.passed = false and r.starts_at >= ?2 and r.starts_at < ?3 order by r.starts_at, r.gpu_uuid""")
                .setParameter(1, gpuUuids.stream().distinct().toArray(String[]::new))
                .setParameter(2, Timestamp.from(from)).setParameter(3, Timestamp.from(to)).getResultList());
    }

    /** {@link #recentSpotChecks(String, int)} of each of these GPUs, in one query: newest first per GPU, GPUs in UUID order. */
    @Transactional
    public List<SpotResult> recentSpotChecks(Collection<String> gpuUuids, int limitEach) {
        return gpuUuids.isEmpty() ? List.of() : results(em.createNativeQuery("""
                        select r.gpu_uuid, r.starts_at, r.passed, r.reason, r.elapsed_ms, r.deadline_ms
                        from unnest(cast(?1 as varchar[])) as wanted(uuid) cross join lateral (
                            select * from gpu_spot_result where gpu_uuid = wanted.uuid order by starts_at desc limit ?2) r
                        order by r.gpu_uuid, r.starts_at desc""")
                .setParameter(1, gpuUuids.stream().distinct().toArray(String[]::new))
                .setParameter(2, Math.max(1, Math.min(MAX_RECENT, limitEach))).getResultList());
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
