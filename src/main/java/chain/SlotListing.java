package chain;

import java.math.BigInteger;
import java.time.Instant;

/**
 * An open listing on SlotMarket as event sync read it: {@code seller} offers slot {@code tokenId}
 * (whose {@code terms} are its pool, GPUs, window and kind) for {@code price} token base units. A
 * listing is {@code stale} when the seller no longer holds the slot (it moved or was split or
 * merged away): buying it reverts until the seller holds it again. Listed in transaction
 * {@code txHash}, block {@code block}, at {@code listedAt} (the block's time).
 */
public record SlotListing(BigInteger tokenId, String seller, BigInteger price, Token.Slot terms, boolean stale, String txHash,
                          long block, Instant listedAt) {
}
