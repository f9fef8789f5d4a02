package gpu;

import gpu.proof.ProofWire;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A proof-of-GPU session as its operator sees it: its GPUs with their measured times and the step the
 * server waits for (null once it is over).
 *
 * @param reportsUntil until when the passed GPUs' reports may be uploaded ({@code POST /api/gpu/sessions/{id}/reports})
 * @param allowanceMs  the network allowance every timed round's deadline includes
 * @param serverTime   the server's clock when it answered, so a host can wait for {@code step.startsAt} on it
 */
public record ProofSession(UUID id, String kind, String state, String reason, Instant openedAt, Instant finishedAt,
                           Instant reportsUntil, Integer allowanceMs, List<Gpu> gpus, ProofWire.Step step, Instant serverTime) {

    public record Gpu(int position, String uuid, String model, String state, String reason, Integer computeMs,
                      Integer computeDeadlineMs, Integer memoryMs, Integer memoryDeadlineMs, String certificate) {
    }
}
