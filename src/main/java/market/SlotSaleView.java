package market;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A sale on SlotMarket (a price history): {@code pieceId} (the listed slot, or the part of it that
 * was bought) went from {@code seller} to {@code buyer} for {@code price} BerkeleyToken base units
 * at {@code soldAt}, with the piece's terms at that moment.
 */
public record SlotSaleView(String txHash, Instant soldAt, BigInteger listedTokenId, BigInteger pieceId, String seller, String buyer,
                           BigInteger price, BigInteger pool, long gpus, Instant start, Instant end, chain.SlotKind kind) {
}
