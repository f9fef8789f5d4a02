package gpu;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One uploaded report as its operator sees it later: what it was about and how it ended. */
public record ReportAttempt(UUID id, Instant submittedAt, String gpuUuid, String gpuName, String modelId,
                            boolean certified, String certificateHash, List<Reason> reasons) {

    public ReportAttempt {
        reasons = List.copyOf(reasons);
    }
}
