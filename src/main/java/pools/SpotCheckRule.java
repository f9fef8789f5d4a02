package pools;

import gpu.ProofOfGpu;
import gpu.SpotResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settlement rule of proof of GPU (DESIGN sections 5 and 7, step 1): a GPU that failed or missed a
 * spot check has no online seconds in the clock hour (UTC, [h, h + 1 h)) the check started in, so it
 * earns no pool share for that hour. What is removed is the hour's online seconds that fall in the
 * window asked for, so epochs that cut an hour each lose their part of it, and an hour with several
 * failed checks is removed once. Passed and open checks change nothing. Heartbeat uptime itself (the
 * masks, the charts, reputation's uptime) is left as it was: this applies where seconds are earned.
 *
 * <p>Cost: one query for the window's failed checks (the partial index of failed results by start),
 * and only when there are some, one for the pool GPUs of their UUIDs and one for the masks of the
 * failed GPU-hours, whatever the number of GPUs.
 */
@ApplicationScoped
class SpotCheckRule {

    private final ProofOfGpu proof;
    private final EntityManager em;

    SpotCheckRule(ProofOfGpu proof, EntityManager em) {
        this.proof = proof;
        this.em = em;
    }

    /** A GPU (pool GPU id) and an hour (seconds since 1970 / 3600). */
    record GpuHour(long gpuId, long hour) {
    }

    /**
     * Takes out of {@code online} (GPU id to online seconds in [from, to), from {@link Uptime}) the
     * seconds of each hour in which the GPU failed a spot check, within [from, to). Only GPUs already
     * in {@code online} change, and none goes below zero. Returns {@code online}.
     */
    Map<Long, Long> removeFailedHours(Map<Long, Long> online, Instant from, Instant to) {
        if (online.isEmpty() || !from.isBefore(to)) {
            return online;
        }
        long start = from.getEpochSecond();
        long end = to.getEpochSecond();
        List<SpotResult> failures = proof.failedSpotChecks(Instant.ofEpochSecond(Math.floorDiv(start, 3600) * 3600),
                Instant.ofEpochSecond(Math.floorDiv(end + 3599, 3600) * 3600));
        if (failures.isEmpty()) {
            return online;
        }
        Set<GpuHour> failed = failedHours(failures, gpuIdsOf(failures), online.keySet(), start, end);
        if (failed.isEmpty()) {
            return online;
        }
        Long[] gpus = failed.stream().map(GpuHour::gpuId).toArray(Long[]::new);
        Long[] hours = failed.stream().map(GpuHour::hour).toArray(Long[]::new);
        @SuppressWarnings("unchecked")
        List<Object[]> masks = em.createNativeQuery("""
                        select u.gpu_id, u.hour, cast(u.mask as text) from pools_uptime u
                        join unnest(cast(?1 as bigint[]), cast(?2 as bigint[])) as failed(gpu_id, hour)
                          on u.gpu_id = failed.gpu_id and u.hour = failed.hour""")
                .setParameter(1, gpus).setParameter(2, hours).getResultList();
        for (Object[] row : masks) {
            long removed = Uptime.secondsWithin((String) row[2], ((Number) row[1]).longValue() * 3600, start, end);
            online.computeIfPresent(((Number) row[0]).longValue(), (gpu, seconds) -> Math.max(0, seconds - removed));
        }
        return online;
    }

    /**
     * How many GPU-hours in [from, to) these GPUs failed or missed a spot check in, each GPU counted
     * from its registration (a UUID registered again does not carry its earlier row's failures): what
     * reputation counts as failures beside the times offline. One query on the results' UUID index.
     */
    int failedHours(List<GpuEntity> gpus, Instant from, Instant to) {
        Map<String, Instant> since = new HashMap<>();
        gpus.forEach(g -> since.merge(g.gpuUuid, g.registeredAt, (a, b) -> a.isBefore(b) ? a : b));
        Set<String> failed = new HashSet<>();
        for (SpotResult check : proof.failedSpotChecks(since.keySet(), from, to)) {
            if (check.failed() && !check.startsAt().isBefore(since.get(check.gpuUuid()))) {
                failed.add(check.gpuUuid() + "@" + Math.floorDiv(check.startsAt().getEpochSecond(), 3600));
            }
        }
        return failed.size();
    }

    /**
     * The GPU-hours that lose their seconds: for each failed check (passed = false; others are
     * ignored), the hour it started in, for each pool GPU of its UUID among {@code gpuIds}, if the
     * hour meets [start, end) (epoch seconds). A GPU-hour is there once however many checks it failed.
     */
    static Set<GpuHour> failedHours(List<SpotResult> checks, Map<String, List<Long>> gpuIdsOfUuid, Set<Long> gpuIds, long start,
                                    long end) {
        Set<GpuHour> failed = new HashSet<>();
        for (SpotResult check : checks) {
            long hour = Math.floorDiv(check.startsAt().getEpochSecond(), 3600);
            if (!check.failed() || hour * 3600 + 3600 <= start || hour * 3600 >= end) {
                continue;
            }
            for (long gpu : gpuIdsOfUuid.getOrDefault(check.gpuUuid(), List.of())) {
                if (gpuIds.contains(gpu)) {
                    failed.add(new GpuHour(gpu, hour));
                }
            }
        }
        return failed;
    }

    /**
     * The pool GPUs (ids) of each UUID that failed: a UUID may have several rows over time (one
     * retired, one registered again), and the rule applies to each, since only the one in service
     * had heartbeats in the hour.
     */
    private Map<String, List<Long>> gpuIdsOf(List<SpotResult> failures) {
        String[] uuids = failures.stream().map(SpotResult::gpuUuid).distinct().toArray(String[]::new);
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                        select g.gpu_uuid, g.id from pools_gpu g join unnest(cast(?1 as varchar[])) as failed(uuid) on g.gpu_uuid = failed.uuid""")
                .setParameter(1, uuids).getResultList();
        Map<String, List<Long>> ids = new HashMap<>();
        for (Object[] row : rows) {
            ids.computeIfAbsent((String) row[0], u -> new java.util.ArrayList<>()).add(((Number) row[1]).longValue());
        }
        return ids;
    }
}
