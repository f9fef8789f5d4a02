package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code TimeSlotNFT.SlotsMerged} log: {@code holder}'s slots {@code first} and {@code second} were
 * burned and joined into {@code merged} (contiguous windows, or the same window with the GPU counts
 * added). Fired inside event sync's transaction, exactly once per log (see {@link SlotSplit}).
 */
public record SlotsMerged(long chainId, String txHash, int logIndex, long block, Instant blockTime, String holder,
                          BigInteger first, BigInteger second, BigInteger merged, Token.Slot mergedTerms) {
}
