package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A {@code TimeSlotNFT.Transfer} log that moved slot {@code tokenId} from {@code from} to {@code to}
 * (any transfer between two wallets, a SlotMarket sale included; not a mint or a burn). Unlike
 * {@link TokenTransferred}, which is fired after the commit, it is fired synchronously INSIDE event
 * sync's transaction, once per log (the token mirror applies each transfer once), so what an
 * observer changes commits with the mirror's new holder or not at all (see {@link SlotSplit}).
 */
public record SlotTransferred(long chainId, String txHash, int logIndex, long block, Instant blockTime, BigInteger tokenId,
                              String from, String to) {
}
