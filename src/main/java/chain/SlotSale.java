package chain;

import java.math.BigInteger;
import java.time.Instant;

/** A sale on SlotMarket (a {@link SlotSold} as kept in {@code chain_sale}), with the terms of the piece sold. */
public record SlotSale(String txHash, int logIndex, long block, Instant at, BigInteger listedTokenId, BigInteger pieceId,
                       String seller, String buyer, BigInteger price, Token.Slot pieceTerms) {
}
