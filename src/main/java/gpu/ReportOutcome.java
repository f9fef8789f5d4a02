package gpu;

import java.util.List;
import java.util.UUID;

/** The result of uploading a report: a certificate, or every reason it was refused. */
public record ReportOutcome(UUID reportId, Certificate certificate, List<Reason> reasons) {

    public ReportOutcome {
        reasons = List.copyOf(reasons);
    }

    public boolean certified() {
        return certificate != null;
    }
}
