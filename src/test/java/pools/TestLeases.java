package pools;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the market in tests: the leases a test puts here (by pools' GPU id) are what the
 * lease feed gives those GPUs, until the test takes them out (the lease ends, is preempted).
 */
@ApplicationScoped
public class TestLeases implements LeaseSource {

    private static final Map<Long, Map<String, Lease>> LEASES = new ConcurrentHashMap<>();

    /** The lease is in the feed of this GPU from now on. */
    static void put(long gpuId, Lease lease) {
        LEASES.computeIfAbsent(gpuId, id -> new ConcurrentHashMap<>()).put(lease.leaseId(), lease);
    }

    /** The lease leaves the feed of every GPU. */
    static void remove(String leaseId) {
        LEASES.values().forEach(leases -> leases.remove(leaseId));
    }

    @Override
    public List<Lease> leases(List<Long> gpuIds, Instant now) {
        return gpuIds.stream().flatMap(id -> LEASES.getOrDefault(id, Map.of()).values().stream())
                .filter(lease -> lease.end() == null || lease.end().isAfter(now)).toList();
    }
}
