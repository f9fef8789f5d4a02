package pools;

import java.time.Instant;
import java.util.Optional;

/**
 * Asked before a GPU leaves its pool: a module that holds the GPU to a commitment (the market, for
 * reservations) says why it cannot leave, or nothing. Implementations are CDI beans; the pools module
 * has none of its own, so until the market exists every GPU may leave.
 */
public interface LeavingGuard {

    /**
     * Why GPU {@code gpuId} of pool {@code poolId} cannot leave at {@code leavesAt}, for example a
     * reservation it backs that no other GPU of the pool can take over; empty if it can.
     */
    Optional<String> reasonToStay(long poolId, long gpuId, Instant leavesAt);
}
