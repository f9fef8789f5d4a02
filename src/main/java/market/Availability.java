package market;

import java.time.Instant;
import java.util.List;

/** A pool's GPUs free for reservation, hour by hour (for a chart). */
public record Availability(long poolId, int gpusInService, List<Hour> hours) {

    public record Hour(Instant start, int free) {
    }
}
