package credits;

import java.time.Instant;

/**
 * What burning {@code tokens} buys at the price in effect: {@code dc}, floor(tokens × priceE8 / 10^21)
 * as {@code CreditsBurner} computes it; {@code smallestBurn} is the fewest base units that buy 1 DC
 * (a burn buying 0 DC is refused by the contract).
 */
public record Quote(TokenAmount tokens, DataCredits dc, TokenPrice price, Instant observedAt, Instant staleAt,
                    TokenAmount smallestBurn) {
}
