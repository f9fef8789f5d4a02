package pools;

import java.time.Instant;
import java.time.LocalDate;

/**
 * A GPU of a pool, its lifecycle status, its certificate and its NFT.
 *
 * @param mintError why the chain refused the GPU's NFT mint, while that is the last word on it
 *                  (ask again with {@code POST /api/gpus/{id}/mint/retry}); null otherwise
 * @param mintTo    the wallet the NFT was (or is being) minted to, once asked
 */
public record GpuView(long id, long poolId, String poolName, long operatorId, String hostName, String serialNumber,
                      String uuid, GpuStatus status, String certificateHash, String nftOwner, String mintTx,
                      LocalDate purchaseDate, LocalDate inServiceDate, Instant lastHeartbeatAt, Instant leavesAt,
                      Instant registeredAt, String mintError, String mintTo) {
}
