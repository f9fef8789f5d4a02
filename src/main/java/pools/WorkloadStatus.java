package pools;

import java.time.Instant;

/**
 * The latest report of a lease's workload on one of its GPUs: a lease on several hosts has one per
 * GPU, and the GPUs of one host share a workload, so they show the same endpoint.
 */
public record WorkloadStatus(String leaseId, long gpuId, String gpuUuid, WorkloadState state, String reason, String endpoint,
                             Instant reportedAt) {
}
