package pools;

import java.time.Instant;
import java.util.List;

/** The answer to a node agent's heartbeat: how many of its GPUs were counted, those that were not (as sent), and when to send the next. */
public record HeartbeatReceipt(int accepted, List<String> unknown, Instant serverTime, long intervalSeconds) {
}
