package pools;

import java.time.Instant;
import java.util.List;

/**
 * The minutes (each by its start, in order) in which the node agent reported a lease's workload
 * RUNNING on one GPU: a minute counts when a RUNNING report for the lease and GPU arrived in it.
 */
public record RunningMinutes(String leaseId, long gpuId, String gpuUuid, List<Instant> minutes) {

    public RunningMinutes {
        minutes = List.copyOf(minutes);
    }
}
