package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A listing on SlotMarket as event sync read it. {@code status}: ACTIVE (the seller still holds the
 * slot: it can be bought), STALE (not ended on chain, but the slot moved or was burned: buying it
 * reverts), SOLD, CANCELLED, or RELISTED (replaced by a later listing of the same slot).
 * {@code endedTx} is the transaction that ended it (null while it has not ended).
 */
public record SlotListing(BigInteger tokenId, String seller, BigInteger price, Status status, String txHash, long block,
                          Instant listedAt, String endedTx) {

    public enum Status {
        ACTIVE,
        STALE,
        SOLD,
        CANCELLED,
        RELISTED
    }
}
