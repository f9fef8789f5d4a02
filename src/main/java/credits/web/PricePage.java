package credits.web;

import accounts.Accounts;
import accounts.Caller;
import credits.Burn;
import credits.Burns;
import credits.CurrentPrice;
import credits.Oracle;
import credits.PricePoint;
import credits.TokenPrice;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import platform.DomainException;

/** The admins' oracle page: the price in effect, a form to set a new one, the history as a chart and a table. */
@Path("/admin/credits/price")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Caller.ADMIN)
public class PricePage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance price(Optional<CurrentPrice> current, String maxPriceAge, PriceChart chart,
                                             List<PricePoint> history, List<Burn> unclaimable, String error, String given);
    }

    private final Oracle oracle;
    private final Burns burns;
    private final Accounts accounts;

    PricePage(Oracle oracle, Burns burns, Accounts accounts) {
        this.oracle = oracle;
        this.burns = burns;
        this.accounts = accounts;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance page() {
        return render(null, "");
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response set(@RestForm String usdPerToken) {
        try {
            oracle.setPrice(accounts.currentCaller(), TokenPrice.ofUsd(usdPerToken));
            return Response.seeOther(URI.create("/admin/credits/price")).build();
        } catch (DomainException e) {
            String given = usdPerToken == null ? "" : usdPerToken.length() > 40 ? usdPerToken.substring(0, 40) : usdPerToken;
            return Response.status(e.kind().status()).entity(render(e.getMessage(), given)).build();
        }
    }

    private TemplateInstance render(String error, String given) {
        List<PricePoint> history = oracle.history(Oracle.HISTORY_LIMIT);
        return Templates.price(oracle.current(), Oracle.describe(oracle.maxPriceAge()), PriceChart.of(history), history,
                burns.unclaimable(100), error, given);
    }
}
