package credits;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The price the contract burns at: the newest price whose {@code setPrice} is confirmed on chain.
 * It is stale from {@code staleAt} (observed + the contract's maximum price age) on, when the
 * contract refuses burns; {@code pending} is a newer price on its way to the chain.
 */
public record CurrentPrice(PricePoint point, Instant staleAt, boolean stale, Optional<PricePoint> pending) {

    /** The contract's rule: a price is stale once the time is past observedAt + maxPriceAge. */
    static boolean isStale(Instant observedAt, Duration maxPriceAge, Instant now) {
        return now.getEpochSecond() > observedAt.getEpochSecond() + maxPriceAge.toSeconds();
    }
}
