package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code SlotMarket.Listed} log: {@code seller} listed slot {@code tokenId} at {@code price} token
 * base units (a new listing, a new price for a listed slot, or a piece left over from a part sale,
 * in the same transaction as its {@link SlotSold}). Fired inside event sync's transaction, exactly
 * once per log (see {@link SlotSplit}).
 */
public record SlotListed(long chainId, String txHash, int logIndex, long block, Instant blockTime,
                         BigInteger tokenId, String seller, BigInteger price) {
}
