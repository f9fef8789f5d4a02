package market;

import java.math.BigInteger;
import java.time.Instant;

/**
 * A slot for sale on SlotMarket (live: its seller holds it): its price in BerkeleyToken base units,
 * its terms as the chain states them ({@code end} null for a pay-as-you-go slot still running), and
 * the market's order for it ({@code orderId} null for a slot minted elsewhere).
 */
public record SlotListingView(BigInteger tokenId, Long orderId, String seller, BigInteger price, BigInteger pool, long gpus,
                              Instant start, Instant end, chain.SlotKind kind, Instant listedAt, String txHash) {
}
