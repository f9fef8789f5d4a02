package pools;

import java.time.Instant;
import java.util.List;

/**
 * The answer to a node agent's heartbeat: how many of its GPUs were counted, those that were not (as
 * sent), when to send the next, and the leases whose workload reports were refused (the lease feed
 * gives none of the counted GPUs that lease now).
 */
public record HeartbeatReceipt(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds, List<String> refusedReports) {

    HeartbeatReceipt withRefusedReports(List<String> refused) {
        return new HeartbeatReceipt(accepted, unknown, serverTime, intervalSeconds, List.copyOf(refused));
    }
}
