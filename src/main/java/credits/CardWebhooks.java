package credits;

import accounts.WalletAddress;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.stripe.model.Event;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;
import platform.DomainException;

/**
 * Records the checkout sessions created, and applies verified Stripe events to the ledger, each in one transaction with the record of the
 * event, so an event is applied exactly once: a redelivery finds its id in credits_card_event, and
 * a second event about the same checkout session finds the session paid and the ledger key used.
 *
 * <p>Fields are read from the event's raw data object, not from stripe-java's typed classes:
 * Stripe sends events in the account's API version, which may differ from the library's, and the
 * few fields used here (ids, amounts, statuses) mean the same in every version.
 */
@ApplicationScoped
class CardWebhooks {

    private static final Logger LOG = Logger.getLogger(CardWebhooks.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Stripe's ids are far shorter; the ledger's keys hold 200 characters. */
    static final int MAX_ID = 100;

    private final Ledger ledger;
    private final Clock clock;

    CardWebhooks(Ledger ledger, Clock clock) {
        this.ledger = ledger;
        this.clock = clock;
    }

    @Transactional
    void opened(String sessionId, WalletAddress wallet, UsdCents amount) {
        CardSessionEntity.open(sessionId, wallet.value(), amount.cents(), clock.instant());
    }

    @Transactional
    CardPayments.Received apply(Event event) {
        Instant now = clock.instant();
        if (!CardEventEntity.claim(bounded(event.getId()), bounded(event.getType()), bounded(event.getApiVersion()), now)) {
            return new CardPayments.Received(event.getId(), event.getType(), false, "already handled");
        }
        JsonNode object = dataObject(event);
        String outcome = switch (event.getType()) {
            case "checkout.session.completed", "checkout.session.async_payment_succeeded" -> paid(object, now);
            case "checkout.session.expired" -> expired(object, now);
            case "charge.refunded" -> refunded(object, now);
            case "charge.dispute.created" -> disputed(object, now);
            case "charge.dispute.closed" -> "won".equals(text(object, "status")) ? reinstated(object) : "ignored: dispute " + text(object, "status");
            case "charge.dispute.funds_reinstated" -> reinstated(object);
            default -> "ignored: not an event this platform acts on";
        };
        CardEventEntity.recordOutcome(event.getId(), outcome);
        LOG.info("Stripe event " + event.getId() + " (" + event.getType() + ", API version " + event.getApiVersion() + "): " + outcome);
        return new CardPayments.Received(event.getId(), event.getType(), true, outcome);
    }

    /** A paid checkout: amount_total cents × 1,000 DC to the wallet in client_reference_id, once per session. */
    private String paid(JsonNode session, Instant now) {
        String sessionId = text(session, "id");
        if (sessionId == null) {
            throw DomainException.invalid("body: a checkout session without an id");
        }
        if (!"paid".equals(text(session, "payment_status"))) {
            return "ignored: payment_status " + text(session, "payment_status") + " (credited when it is paid)";
        }
        if (!"usd".equalsIgnoreCase(text(session, "currency"))) {
            LOG.error("Checkout session " + sessionId + " was paid in " + text(session, "currency") + ", not USD: not credited");
            return "ignored: paid in " + text(session, "currency") + ", not usd";
        }
        long cents = session.path("amount_total").asLong(-1);
        WalletAddress wallet;
        try {
            wallet = WalletAddress.of(text(session, "client_reference_id"));
        } catch (DomainException e) {
            LOG.error("Checkout session " + sessionId + " was paid without a wallet in client_reference_id: not credited");
            return "ignored: client_reference_id is not a wallet";
        }
        if (cents <= 0) {
            return "ignored: amount_total " + cents;
        }
        Optional<CardSessionEntity> known = CardSessionEntity.locked(sessionId);
        CardSessionEntity stored = known.orElseGet(() -> CardSessionEntity.open(sessionId, wallet.value(), cents, now));
        if (!stored.wallet.equals(wallet.value())) {
            LOG.error("Checkout session " + sessionId + " names wallet " + wallet + " but was created for " + stored.wallet + ": not credited");
            return "ignored: client_reference_id differs from the session's wallet";
        }
        if (stored.status == CardSessionEntity.Status.EXPIRED) {
            // Stripe never completes an expired session; a paid event for one is an anomaly for a person to look at, never credits
            LOG.error("Checkout session " + sessionId + " is reported paid, but Stripe reported it expired at " + stored.expiredAt
                    + ": not credited; check the payment in Stripe's dashboard and refund it there");
            return "ignored: session " + sessionId + " expired before; an expired session is never credited";
        }
        if (!stored.markPaid(cents, paymentIntent(session), now)) {
            return "already credited (session " + sessionId + ")";
        }
        DataCredits dc = UsdCents.dataCreditsOf(cents);
        Posted posted = ledger.mint("card:session:" + sessionId, MintSource.CARD, wallet, dc,
                "card payment of " + UsdCents.format(cents) + " USD", sessionId);
        return posted.applied() ? "credited " + dc + " to " + wallet : "already credited (session " + sessionId + ")";
    }

    /**
     * An abandoned checkout: Stripe expired the session (by default 24 h after it was created), so it
     * can no longer be paid. Marked expired once; a session already paid stays paid.
     */
    private String expired(JsonNode session, Instant now) {
        String sessionId = text(session, "id");
        if (sessionId == null) {
            throw DomainException.invalid("body: a checkout session without an id");
        }
        if (!"expired".equals(text(session, "status"))) {
            return "ignored: session status " + text(session, "status") + " in a checkout.session.expired event";
        }
        Optional<CardSessionEntity> known = CardSessionEntity.locked(sessionId);
        if (known.isEmpty()) {
            return "ignored: no checkout session of ours has id " + sessionId;
        }
        CardSessionEntity stored = known.get();
        if (stored.markExpired(now)) {
            return "expired session " + sessionId + " (nothing was charged)";
        }
        if (stored.status == CardSessionEntity.Status.PAID) {
            LOG.error("Checkout session " + sessionId + " was paid and is now reported expired: left paid");
            return "ignored: session " + sessionId + " was paid, not expired";
        }
        return "already expired (session " + sessionId + ")";
    }

    /** charge.refunded carries the charge's running total: what is new since the last one is taken back. */
    private String refunded(JsonNode charge, Instant now) {
        Optional<CardSessionEntity> found = sessionOf(charge);
        if (found.isEmpty()) {
            return "ignored: no card purchase of ours has payment intent " + paymentIntent(charge);
        }
        CardSessionEntity session = found.get();
        long total = Math.min(charge.path("amount_refunded").asLong(0), session.paidCents);
        if (total <= session.refundedCents) {
            return "already taken back (" + UsdCents.format(session.refundedCents) + " USD refunded so far)";
        }
        DataCredits due = UsdCents.dataCreditsOf(total - session.refundedCents);
        String reference = "refund:" + session.sessionId + ":" + total;
        session.refundedCents = total;
        return takeBack(session, CardReversalEntity.Kind.REFUND, reference, due, now);
    }

    private String disputed(JsonNode dispute, Instant now) {
        String disputeId = text(dispute, "id");
        Optional<CardSessionEntity> found = sessionOf(dispute);
        if (disputeId == null || found.isEmpty()) {
            return "ignored: no card purchase of ours has payment intent " + paymentIntent(dispute);
        }
        CardSessionEntity session = found.get();
        // a dispute is at most what was paid and not refunded
        long cents = Math.min(dispute.path("amount").asLong(0), session.paidCents - session.refundedCents);
        String reference = "dispute:" + disputeId;
        if (CardReversalEntity.lockedByReference(reference).isPresent()) {
            return "already taken back (dispute " + disputeId + ")";
        }
        if (cents <= 0) {
            return "ignored: dispute " + disputeId + " of " + dispute.path("amount").asLong(0) + " cents, nothing left to take back";
        }
        return takeBack(session, CardReversalEntity.Kind.DISPUTE, reference, UsdCents.dataCreditsOf(cents), now);
    }

    /** Takes back what the wallet holds, up to {@code due}; the rest is recorded as owed. */
    private String takeBack(CardSessionEntity session, CardReversalEntity.Kind kind, String reference, DataCredits due, Instant now) {
        WalletAddress wallet = WalletAddress.of(session.wallet);
        Posted posted = ledger.takeBack("card:" + reference, MintSource.CARD, wallet, due,
                kind == CardReversalEntity.Kind.REFUND ? "card payment refunded" : "card payment disputed", session.sessionId);
        DataCredits owed = DataCredits.of(due.value() - posted.amount().value());
        CardReversalEntity.record(session, kind, reference, posted.amount(), owed, now);
        return "took back " + posted.amount() + " of " + due + " from " + wallet + (owed.isZero() ? "" : "; " + owed + " owed");
    }

    /** A dispute decided for us: the debt it left is settled and what it took is given back. */
    private String reinstated(JsonNode dispute) {
        String disputeId = text(dispute, "id");
        Optional<CardReversalEntity> found = disputeId == null ? Optional.empty() : CardReversalEntity.lockedByReference("dispute:" + disputeId);
        if (found.isEmpty()) {
            return "ignored: no dispute of ours with id " + disputeId;
        }
        CardReversalEntity reversal = found.get();
        if (reversal.reinstated) {
            return "already reinstated (dispute " + disputeId + ")";
        }
        reversal.reinstated = true;
        long forgiven = reversal.owedDc - reversal.settledDc;
        reversal.settledDc = reversal.owedDc;
        if (reversal.takenDc > 0) {
            ledger.mint("card:dispute-won:" + disputeId, MintSource.CARD, WalletAddress.of(reversal.wallet), DataCredits.of(reversal.takenDc),
                    "card dispute won: credits given back", reversal.sessionId);
        }
        return "dispute " + disputeId + " won: gave back " + DataCredits.of(reversal.takenDc) + ", settled " + DataCredits.of(forgiven) + " owed";
    }

    private static Optional<CardSessionEntity> sessionOf(JsonNode object) {
        String paymentIntent = paymentIntent(object);
        return paymentIntent == null ? Optional.empty() : CardSessionEntity.lockedByPaymentIntent(paymentIntent)
                .filter(s -> s.status == CardSessionEntity.Status.PAID);
    }

    /** payment_intent is an id, or the expanded object with one. */
    private static String paymentIntent(JsonNode object) {
        JsonNode value = object.path("payment_intent");
        return bounded(value.isObject() ? text(value, "id") : value.isTextual() ? value.asText() : null);
    }

    private static JsonNode dataObject(Event event) {
        String raw = event.getDataObjectDeserializer().getRawJson();
        try {
            JsonNode object = raw == null ? null : JSON.readTree(raw);
            if (object == null || !object.isObject()) {
                throw DomainException.invalid("body: the event has no data.object");
            }
            return object;
        } catch (java.io.IOException e) {
            throw DomainException.invalid("body: the event's data.object is not JSON");
        }
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value == null || !value.isTextual() ? null : bounded(value.asText());
    }

    /** Stripe's ids and names are short; anything longer is refused rather than stored (or made a ledger key). */
    private static String bounded(String value) {
        if (value != null && value.length() > MAX_ID) {
            throw DomainException.invalid("body: a field of the event is longer than Stripe's ids (" + MAX_ID + " characters)");
        }
        return value;
    }
}
