package credits.web;

import accounts.Accounts;
import accounts.Caller;
import credits.Oracle;
import credits.PricePoint;
import credits.TokenPrice;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The admins' side of the price oracle. */
@Path("/api/admin/credits")
@Tag(name = "Credits")
public class AdminPriceResource {

    private final Oracle oracle;
    private final Accounts accounts;

    AdminPriceResource(Oracle oracle, Accounts accounts) {
        this.oracle = oracle;
        this.accounts = accounts;
    }

    @PUT
    @Path("/price")
    @RolesAllowed(Caller.ADMIN)
    @Operation(summary = "Set the token price; it is pushed to CreditsBurner.setPrice through the outbox (admins)")
    @APIResponse(responseCode = "202", description = "Stored; on its way to the chain")
    public Response setPrice(@Valid @NotNull PriceResource.SetPrice request) {
        PricePoint point = oracle.setPrice(accounts.currentCaller(), TokenPrice.ofUsd(request.usdPerToken()));
        return Response.accepted(PriceResource.PriceChange.of(point)).build();
    }
}
