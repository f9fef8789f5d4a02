package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code TimeSlotNFT.SlotClosed} log: the pay-as-you-go slot {@code tokenId}, held by
 * {@code holder}, ended at {@code closedAt} (its end on chain from now on). Fired inside event
 * sync's transaction, exactly once per log (see {@link SlotSplit}).
 */
public record SlotClosed(long chainId, String txHash, int logIndex, long block, Instant blockTime, String holder,
                         BigInteger tokenId, ChainTime closedAt) {
}
