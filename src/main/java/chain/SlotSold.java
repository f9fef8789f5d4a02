package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code SlotMarket.Sold} log: {@code pieceId} went from {@code seller} to {@code buyer} for
 * {@code price} token base units, and the listing of {@code listedTokenId} ended. For a whole sale
 * the piece is the listed slot; for a part sale it is the piece split off in the same transaction
 * (its {@link SlotSplit}s come first, the rest's {@link SlotListed} after). {@code pieceTerms} are the
 * piece's pool, GPUs and window. The slot's {@link TokenTransferred} follows after the commit. Fired
 * inside event sync's transaction, exactly once per log (see {@link SlotSplit}).
 */
public record SlotSold(long chainId, String txHash, int logIndex, long block, Instant blockTime, BigInteger listedTokenId,
                       BigInteger pieceId, String seller, String buyer, BigInteger price, Token.Slot pieceTerms) {
}
