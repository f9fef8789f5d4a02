package pools;

import java.time.Instant;
import java.util.List;

/**
 * Where the node agent's lease feed comes from: a module that rents GPUs out (the market) says what
 * each GPU should run. Implementations are CDI beans; with none, the feed is empty.
 */
public interface LeaseSource {

    /**
     * What a GPU should run over [start, end): {@code end} is null while a pay-as-you-go rental has no
     * end yet, and {@code workload} is null until its customer says what to run.
     */
    record Lease(String gpuUuid, String leaseId, String kind, Instant start, Instant end, Workload workload) {
    }

    /** The current and upcoming leases of these GPUs (by pools' GPU id). */
    List<Lease> leases(List<Long> gpuIds, Instant now);
}
