package pools;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Stands in for the market's reservations in tests: GPUs put in {@link #BACKING} back a reservation that cannot move. */
@ApplicationScoped
public class RefusingLeavingGuard implements LeavingGuard {

    static final Set<Long> BACKING = ConcurrentHashMap.newKeySet();

    @Override
    public Optional<String> reasonToStay(long poolId, long gpuId, Instant leavesAt) {
        return BACKING.contains(gpuId) ? Optional.of("it backs reservation R-1 until after " + leavesAt + " and no other GPU is free")
                : Optional.empty();
    }
}
