package credits;

import accounts.WalletAddress;
import com.stripe.model.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import platform.DomainException;
import platform.PlatformConfig;

/**
 * Data Credits bought by card (DESIGN section 7: 1 US cent = 1,000 DC) through Stripe Checkout.
 * A checkout session is created for the signed-in wallet; Stripe's signed webhook then credits
 * the wallet once per event and once per session. Refunds and disputes take back what the wallet
 * still holds and leave the rest as a debt, which blocks new purchases until it is settled.
 * Off (and saying so) when no Stripe keys are configured.
 */
@ApplicationScoped
public class CardPayments {

    /** Stripe could not be reached, or refused the platform's request (a 502 for the caller). */
    public static class StripeUnavailable extends RuntimeException {
        public StripeUnavailable(String message) {
            super(message);
        }
    }

    /** A created checkout: send the customer to {@code url}. */
    public record Checkout(String sessionId, String url, UsdCents amount, DataCredits dc) {
    }

    /** One card purchase as the customer sees it; status is open, paid or expired (abandoned on Stripe's page, nothing charged). */
    public record Purchase(String sessionId, String usd, DataCredits dc, String status, Instant createdAt, Instant paidAt,
                           String refundedUsd) {
    }

    /** The card side of a wallet: whether card payment is on, the debt, the recent purchases. */
    public record CardAccount(boolean enabled, String offReason, DataCredits debt, String minUsd, String maxUsd,
                              List<Purchase> purchases) {
        public boolean hasDebt() {
            return !debt.isZero();
        }
    }

    /** What a webhook delivery did, for the log and the answer to Stripe. */
    public record Received(String eventId, String type, boolean firstDelivery, String outcome) {
    }

    public static final String OFF_REASON = "Card payment is off on this marketplace: no Stripe keys are configured "
            + "(bc.stripe.secret-key and bc.stripe.webhook-secret)";
    private static final int RECENT = 20;

    private final StripeGateway stripe;
    private final CardWebhooks webhooks;
    private final String publicUrl;

    CardPayments(StripeGateway stripe, CardWebhooks webhooks, PlatformConfig platform) {
        this.stripe = stripe;
        this.webhooks = webhooks;
        String url = platform.publicUrl();
        this.publicUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public boolean enabled() {
        return stripe.enabled();
    }

    /**
     * Starts a card purchase for {@code wallet}. Refused (409) while the wallet has a debt from a
     * refund or dispute. Stripe is called outside any transaction; the session is stored after.
     */
    public Checkout checkout(WalletAddress wallet, UsdCents amount) {
        if (!enabled()) {
            throw new IllegalStateException(OFF_REASON);
        }
        refuseWhileInDebt(wallet);
        StripeGateway.CreatedSession created = stripe.createCheckout(wallet, amount,
                publicUrl + "/credits?card=paid", publicUrl + "/credits?card=cancelled");
        webhooks.opened(created.id(), wallet, amount);
        return new Checkout(created.id(), created.url(), amount, amount.toDataCredits());
    }

    /** What the wallet owes from refunds and disputes of its card payments (zero when nothing). */
    @Transactional
    public DataCredits debt(WalletAddress wallet) {
        return CardReversalEntity.debtOf(wallet.value());
    }

    /** A DomainException (409) naming the debt while there is one; the market calls it before an order. */
    public void refuseWhileInDebt(WalletAddress wallet) {
        DataCredits debt = debt(wallet);
        if (!debt.isZero()) {
            throw DomainException.conflict("Your wallet owes " + String.format(java.util.Locale.ROOT, "%,d", debt.value()) + " DC (" + usd(debt)
                    + " USD) from a refunded or disputed card payment; nothing can be bought until it is settled "
                    + "(by a dispute decided in your favour, or by the credits that reach your wallet next)");
        }
    }

    @Transactional
    public CardAccount account(WalletAddress wallet) {
        List<Purchase> purchases = CardSessionEntity.recent(wallet.value(), RECENT).stream()
                .map(s -> new Purchase(s.sessionId, UsdCents.format(charged(s)), UsdCents.dataCreditsOf(charged(s)),
                        s.status.name().toLowerCase(java.util.Locale.ROOT), s.createdAt, s.paidAt,
                        UsdCents.format(s.refundedCents)))
                .toList();
        return new CardAccount(enabled(), enabled() ? null : OFF_REASON, debt(wallet), UsdCents.format(UsdCents.MIN_CENTS),
                UsdCents.format(UsdCents.MAX_CENTS), purchases);
    }

    /** A webhook delivery: verified by Stripe's library (a 400 when it does not verify), then applied once. */
    public Received receive(String payload, String signature) {
        if (!enabled()) {
            throw new IllegalStateException(OFF_REASON);
        }
        Event event = stripe.verify(payload, signature);
        if (event == null || event.getId() == null || event.getType() == null) {
            throw DomainException.invalid("body: a Stripe event has an id and a type");
        }
        return webhooks.apply(event);
    }

    /** What Stripe charged once paid (a discount may lower it), what was asked until then. */
    private static long charged(CardSessionEntity session) {
        return session.paidCents != null ? session.paidCents : session.amountCents;
    }

    private static String usd(DataCredits dc) {
        return java.math.BigDecimal.valueOf(dc.value()).movePointLeft(5).setScale(2, java.math.RoundingMode.UP).toPlainString();
    }
}
