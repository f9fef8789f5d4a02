package pools;

import java.time.Instant;
import java.time.LocalDate;

/** A GPU of a pool, its lifecycle status, its certificate and its NFT. */
public record GpuView(long id, long poolId, String poolName, long operatorId, String hostName, String serialNumber,
                      String uuid, GpuStatus status, String certificateHash, String nftOwner, String mintTx,
                      LocalDate purchaseDate, LocalDate inServiceDate, Instant lastHeartbeatAt, Instant leavesAt,
                      Instant registeredAt) {
}
