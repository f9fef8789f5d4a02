package gpu;

import java.time.Instant;

/**
 * One GPU's result of one spot check (docs/gpu-certification.md, "Spot checks").
 *
 * @param passed    true when the GPU answered right within the deadline, false when it answered late or
 *                  wrong or not at all; null while the check is still open
 * @param elapsedMs the server's measured time from the check's start to the GPU's commitment, if it answered
 */
public record SpotResult(String gpuUuid, Instant startsAt, Boolean passed, String reason, Integer elapsedMs, Integer deadlineMs) {

    /** A check that counts against the GPU: the hour it started in earns no pool share (settlement) and it costs reputation. */
    public boolean failed() {
        return Boolean.FALSE.equals(passed);
    }
}
