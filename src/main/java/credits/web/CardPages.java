package credits.web;

import accounts.Accounts;
import credits.CardPayments;
import credits.UsdCents;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import platform.DomainException;

/** The credits page's "buy by card" form: starts a Stripe Checkout and sends the browser there. */
@Path("/credits")
@Produces(MediaType.TEXT_HTML)
public class CardPages {

    private final CardPayments cards;
    private final Accounts accounts;

    CardPages(CardPayments cards, Accounts accounts) {
        this.cards = cards;
        this.accounts = accounts;
    }

    @POST
    @Path("checkout")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response checkout(@RestForm String usd) {
        try {
            UsdCents amount = UsdCents.parse(usd);
            if (!cards.enabled()) {
                throw DomainException.conflict(CardPayments.OFF_REASON);
            }
            return Response.seeOther(URI.create(cards.checkout(accounts.currentCaller().address(), amount).url())).build();
        } catch (DomainException | CardPayments.StripeUnavailable e) {
            return Response.seeOther(URI.create("/credits?error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8))).build();
        }
    }
}
