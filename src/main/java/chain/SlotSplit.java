package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code TimeSlotNFT.SlotSplit} log: {@code holder}'s slot {@code parent} was burned and split into
 * {@code first} and {@code second} (by time: first is the earlier window; by count: first has the
 * GPU count that was split off, over the same window), with their terms.
 *
 * <p>Like every slot and market event of the chain module ({@link SlotsMerged}, {@link SlotClosed},
 * {@link SlotListed}, {@link SlotListingCancelled}, {@link SlotSold}) it is fired synchronously
 * INSIDE event sync's transaction, exactly once per ({@code chainId}, {@code txHash},
 * {@code logIndex}): the log's row in {@code chain_slot_log} is written in the same transaction, so
 * a range of blocks read again fires nothing a second time, and what an observer writes commits
 * with the sync's cursor or not at all. An observer that throws rolls the whole range back; it is
 * read again, and the event fired again, on the next round (so throw only when the event must not
 * be lost). Events of one range are fired in the chain's order.
 */
public record SlotSplit(long chainId, String txHash, int logIndex, long block, Instant blockTime, String holder,
                        BigInteger parent, BigInteger first, BigInteger second, Token.Slot firstTerms, Token.Slot secondTerms) {
}
