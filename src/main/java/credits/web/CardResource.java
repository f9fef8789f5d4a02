package credits.web;

import accounts.Accounts;
import credits.CardPayments;
import credits.UsdCents;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.ServiceUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.web.BodyLimit;

/** Data Credits bought by card: Stripe Checkout, and Stripe's webhook that credits them. */
@Path("/api/credits")
@Tag(name = "Credits")
public class CardResource {

    @Schema(name = "CardCheckoutRequest", description = "How much to pay by card, in USD")
    public record CheckoutRequest(
            @Schema(required = true, pattern = "^[0-9]{1,5}(\\.[0-9]{1,2})?$", maxLength = 8, example = "25.00",
                    description = "USD, at most 2 decimals, from 1.00 to 10000.00; 1 US cent buys 1,000 DC") String usd) {
    }

    @Schema(name = "CardCheckout", description = "A Stripe Checkout Session: send the customer to url")
    public record CheckoutJson(@Schema(example = "cs_test_a1b2c3") String sessionId,
                               @Schema(example = "https://checkout.stripe.com/c/pay/cs_test_a1b2c3") String url,
                               @Schema(example = "25.00") String usd, @Schema(example = "2500000") long dc) {
    }

    @Schema(name = "CardPurchase")
    public record PurchaseJson(String sessionId, @Schema(example = "25.00") String usd, long dc,
                               @Schema(enumeration = {"open", "paid", "expired"}) String status, Instant createdAt, Instant paidAt,
                               @Schema(example = "0.00") String refundedUsd) {
    }

    @Schema(name = "CardAccount", description = "Card payment for your wallet: whether it is on, your debt, your recent purchases")
    public record CardJson(boolean enabled, @Schema(description = "Why card payment is off; null when on") String offReason,
                           @Schema(description = "DCs owed from refunded or disputed card payments; while above 0 nothing can be bought")
                           long debtDc, String minUsd, String maxUsd, List<PurchaseJson> purchases) {
    }

    @Schema(name = "StripeWebhookReceipt")
    public record ReceiptJson(String eventId, String type, boolean firstDelivery, String outcome) {
    }

    private final CardPayments cards;
    private final Accounts accounts;

    CardResource(CardPayments cards, Accounts accounts) {
        this.cards = cards;
        this.accounts = accounts;
    }

    @POST
    @Path("/checkout")
    @Authenticated
    @Operation(summary = "Buy Data Credits by card: creates a Stripe Checkout Session for your wallet (1 US cent = 1,000 DC); "
            + "503 when card payment is off, 409 while your wallet owes DCs from a refund or dispute")
    public CheckoutJson checkout(@NotNull CheckoutRequest request) {
        UsdCents amount = UsdCents.parse(request.usd());
        requireEnabled();
        CardPayments.Checkout checkout;
        try {
            checkout = cards.checkout(accounts.currentCaller().address(), amount);
        } catch (CardPayments.StripeUnavailable e) {
            throw new WebApplicationException(e.getMessage(), 502);
        }
        return new CheckoutJson(checkout.sessionId(), checkout.url(), checkout.amount().toString(), checkout.dc().value());
    }

    @GET
    @Path("/card")
    @Authenticated
    @Operation(summary = "Card payment for your wallet: on or off, your debt (debtDc), your recent purchases")
    public CardJson card() {
        CardPayments.CardAccount account = cards.account(accounts.currentCaller().address());
        return new CardJson(account.enabled(), account.offReason(), account.debt().value(), account.minUsd(), account.maxUsd(),
                account.purchases().stream().map(p -> new PurchaseJson(p.sessionId(), p.usd(), p.dc().value(), p.status(),
                        p.createdAt(), p.paidAt(), p.refundedUsd())).toList());
    }

    @POST
    @Path("/stripe/webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @BodyLimit(64 * BodyLimit.KIB)
    @Operation(summary = "Stripe's webhook (no sign-in: verified by its Stripe-Signature header, at most 300 s old); "
            + "credits paid checkouts once, takes back refunds and disputes; other events are acknowledged and ignored")
    @RequestBody(content = @org.eclipse.microprofile.openapi.annotations.media.Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.OBJECT,
                    description = "A Stripe event, exactly as Stripe signed it")))
    public ReceiptJson webhook(byte[] body,
                               @HeaderParam("Stripe-Signature") @Parameter(description = "t=<unix time>,v1=<HMAC-SHA256 hex>")
                               String signature) {
        requireEnabled();
        CardPayments.Received received = cards.receive(new String(body, StandardCharsets.UTF_8), signature);
        return new ReceiptJson(received.eventId(), received.type(), received.firstDelivery(), received.outcome());
    }

    private void requireEnabled() {
        if (!cards.enabled()) {
            throw new ServiceUnavailableException(CardPayments.OFF_REASON);
        }
    }
}
