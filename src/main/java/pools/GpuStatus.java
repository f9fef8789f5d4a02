package pools;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A GPU's life in a pool. Registered by its operator; certified once the gpu module holds a valid
 * certificate for its UUID and the pool's model; minting while its GPU NFT is on its way to the
 * chain; minted when the chain confirms it; active while its node agent sends heartbeats, offline
 * when it misses them; leaving during the pool's notice period; retired when it has left (or was
 * withdrawn before it was minted).
 */
public enum GpuStatus {
    REGISTERED, CERTIFIED, MINTING, MINTED, ACTIVE, OFFLINE, LEAVING, RETIRED;

    private static final Map<GpuStatus, Set<GpuStatus>> NEXT = Map.of(
            REGISTERED, EnumSet.of(CERTIFIED, RETIRED),
            CERTIFIED, EnumSet.of(REGISTERED, MINTING, RETIRED),
            MINTING, EnumSet.of(MINTED, CERTIFIED),
            MINTED, EnumSet.of(ACTIVE, LEAVING),
            ACTIVE, EnumSet.of(OFFLINE, LEAVING),
            OFFLINE, EnumSet.of(ACTIVE, LEAVING),
            LEAVING, EnumSet.of(RETIRED),
            RETIRED, EnumSet.noneOf(GpuStatus.class));

    /** The statuses of a GPU in service: its NFT exists and it has not left (what heartbeats, leases and reputation count). */
    public static final Set<GpuStatus> IN_SERVICE = Collections.unmodifiableSet(EnumSet.of(MINTED, ACTIVE, OFFLINE, LEAVING));

    public boolean canBecome(GpuStatus next) {
        return NEXT.get(this).contains(next);
    }

    /** Whether the GPU is in service ({@link #IN_SERVICE}). */
    public boolean inService() {
        return IN_SERVICE.contains(this);
    }
}
