package pools;

import java.time.Instant;

/** One step of a GPU's lifecycle. */
public record GpuEvent(GpuStatus from, GpuStatus to, String reason, Instant at) {
}
