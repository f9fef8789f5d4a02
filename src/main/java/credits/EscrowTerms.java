package credits;

import java.time.Instant;
import java.util.List;
import platform.DomainException;

/** A reservation's escrow: which pool and GPUs (pools' GPU ids) over which window. */
public record EscrowTerms(long poolId, List<Long> gpuIds, Instant start, Instant end) {

    /** The most GPUs one reservation names. */
    public static final int MAX_GPUS = 1_000;

    public EscrowTerms {
        if (gpuIds == null || start == null || end == null) {
            throw DomainException.invalid("escrow terms need GPU ids, a start and an end");
        }
        if (gpuIds.size() > MAX_GPUS) {
            throw DomainException.invalid("an escrow names at most " + MAX_GPUS + " GPUs, not " + gpuIds.size());
        }
        gpuIds = List.copyOf(gpuIds);
        if (!start.isBefore(end)) {
            throw DomainException.invalid("an escrow's window must start before it ends: " + start + " is not before " + end);
        }
    }
}
