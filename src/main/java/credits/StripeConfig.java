package credits;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/**
 * Card payments through Stripe Checkout ({@code bc.stripe.*}). Card payment is on only when both
 * keys are set: without the secret key no checkout can be created, and without the webhook secret
 * no payment could ever be credited, so taking money would be wrong.
 */
@ConfigMapping(prefix = "bc.stripe")
public interface StripeConfig {

    /** The account's secret API key (sk_live_… or sk_test_…); never logged. */
    Optional<String> secretKey();

    /** The webhook endpoint's signing secret (whsec_…), which verifies Stripe-Signature; never logged. */
    Optional<String> webhookSecret();

    /** Where stripe-java sends API calls; tests point it at a local stand-in. */
    @WithDefault("https://api.stripe.com")
    String apiBase();

    /** How often debts from refunds and disputes are collected from the DCs that reached the wallet since. */
    @WithDefault("30s")
    java.time.Duration debtCollectionInterval();

    default boolean enabled() {
        return secretKey().filter(k -> !k.isBlank()).isPresent() && webhookSecret().filter(k -> !k.isBlank()).isPresent();
    }
}
