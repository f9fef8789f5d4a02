package credits;

import chain.EffectStatus;
import java.time.Instant;

/**
 * A price an admin set: what, observed when, by whom, and how far its {@code CreditsBurner.setPrice}
 * has come ({@code onChain}: PENDING, SENT, CONFIRMED or FAILED; the contract uses it once CONFIRMED).
 */
public record PricePoint(long id, TokenPrice price, Instant observedAt, String setBy, EffectStatus.Status onChain,
                         String txHash, String problem) {
}
