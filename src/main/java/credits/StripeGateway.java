package credits;

import accounts.WalletAddress;
import com.stripe.StripeClient;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.exception.StripeException;
import com.stripe.model.Event;
import com.stripe.model.checkout.Session;
import com.stripe.net.Webhook;
import com.stripe.param.checkout.SessionCreateParams;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.Optional;
import org.jboss.logging.Logger;
import platform.DomainException;

/** Stripe's API and webhook signatures, through the official client; nothing here is hand-written crypto. */
@ApplicationScoped
class StripeGateway {

    /** How old a signed webhook may be (Stripe's own default): an older one is refused as a replay. */
    static final long TOLERANCE_SECONDS = 300;

    private static final Logger LOG = Logger.getLogger(StripeGateway.class);

    record CreatedSession(String id, String url) {
    }

    private final StripeConfig config;
    private final Clock clock;
    private final Optional<StripeClient> client;

    StripeGateway(StripeConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = config.enabled()
                ? Optional.of(StripeClient.builder().setApiKey(config.secretKey().orElseThrow().strip())
                        .setApiBase(config.apiBase()).setMaxNetworkRetries(2).build())
                : Optional.empty();
    }

    boolean enabled() {
        return client.isPresent();
    }

    /** A Checkout Session in payment mode with one line item: the DCs that {@code amount} buys. */
    CreatedSession createCheckout(WalletAddress wallet, UsdCents amount, String successUrl, String cancelUrl) {
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(wallet.value())
                .setSuccessUrl(successUrl)
                .setCancelUrl(cancelUrl)
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency("usd")
                                .setUnitAmount(amount.cents())
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(String.format(java.util.Locale.ROOT, "%,d Data Credits", amount.toDataCredits().value()))
                                        .setDescription("Berkeley Compute credits for " + wallet.checksummed())
                                        .build())
                                .build())
                        .build())
                .build();
        try {
            Session session = client.orElseThrow().checkout().sessions().create(params);
            if (session.getId() == null || session.getUrl() == null) {
                throw new CardPayments.StripeUnavailable("Stripe answered without a checkout session; please try again");
            }
            return new CreatedSession(session.getId(), session.getUrl());
        } catch (StripeException e) {
            LOG.warn("Stripe refused to create a checkout session: " + e.getClass().getSimpleName() + " " + e.getStatusCode()
                    + " (request " + e.getRequestId() + "): " + e.getMessage());
            throw new CardPayments.StripeUnavailable("Stripe could not start the card payment just now; please try again");
        }
    }

    /**
     * The event in a webhook's body, verified by stripe-java against the Stripe-Signature header
     * (the HMAC-SHA256 of the timestamp and the body with the webhook secret, at most
     * {@value #TOLERANCE_SECONDS} s old by the injected clock); a 400 for anything else.
     */
    Event verify(String payload, String signature) {
        if (signature == null || signature.isBlank()) {
            throw DomainException.invalid("Stripe-Signature: the header is missing; a webhook body is accepted only with Stripe's signature");
        }
        if (signature.length() > 2_000) {
            throw DomainException.invalid("Stripe-Signature: the header is longer than any Stripe sends");
        }
        try {
            return Webhook.constructEvent(payload, signature, config.webhookSecret().orElseThrow().strip(), TOLERANCE_SECONDS, clock);
        } catch (SignatureVerificationException e) {
            throw DomainException.invalid("Stripe-Signature: " + e.getMessage()
                    + " (the signature must match the body with this endpoint's secret, and be at most "
                    + TOLERANCE_SECONDS + " s old)");
        } catch (RuntimeException notAnEvent) { // Gson's parse errors: the body is not an event's JSON
            throw DomainException.invalid("body: not a Stripe event (" + notAnEvent.getClass().getSimpleName() + ")");
        }
    }
}
