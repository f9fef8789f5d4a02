package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code SlotMarket.ListingCancelled} log: the listing of slot {@code tokenId} by {@code seller}
 * ended without a sale. Fired inside event sync's transaction, exactly once per log (see
 * {@link SlotSplit}).
 */
public record SlotListingCancelled(long chainId, String txHash, int logIndex, long block, Instant blockTime,
                                   BigInteger tokenId, String seller) {
}
