package credits.web;

import accounts.Accounts;
import credits.Burn;
import credits.Burns;
import credits.Faucet;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's token burns as event sync credited them, and the embedded chain's faucet. */
@Path("/api/credits")
@Authenticated
@Tag(name = "Credits")
public class BurnResource {

    @Schema(description = "A CreditsBurner.burnForCredits credited to the caller's wallet")
    public record BurnView(
            @Schema(required = true) String txHash,
            @Schema(required = true) int logIndex,
            @Schema(required = true) long block,
            @Schema(required = true, description = "The wallet whose tokens were burned") String buyer,
            @Schema(required = true, description = "Token base units burned") String tokens,
            @Schema(required = true) String priceE8,
            @Schema(required = true, description = "Data Credits minted") String dc,
            @Schema(required = true) Instant recordedAt) {

        static BurnView of(Burn b) {
            return new BurnView(b.txHash(), b.logIndex(), b.block(), b.buyer(), b.tokens().toString(), b.priceE8().toString(),
                    b.dc().toString(), b.recordedAt());
        }
    }

    @Schema(description = "What the faucet sends to the caller's wallet through the outbox")
    public record FaucetGrant(
            @Schema(required = true) String wallet,
            @Schema(required = true, description = "Ether for gas, in wei") String wei,
            @Schema(required = true, description = "Test BCT, in base units") String tokens) {
    }

    private final Burns burns;
    private final Faucet faucet;
    private final Accounts accounts;

    BurnResource(Burns burns, Faucet faucet, Accounts accounts) {
        this.burns = burns;
        this.faucet = faucet;
        this.accounts = accounts;
    }

    @GET
    @Path("/burns")
    @Operation(summary = "The caller's token burns that were credited, newest first")
    public List<BurnView> burns(
            @Parameter(description = "How many, newest first (1 to 500, default 100)", example = "100",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
            @QueryParam("limit") @Min(1) @Max(500) Integer limit) {
        return burns.of(accounts.currentCaller().address(), limit == null ? 100 : limit).stream().map(BurnView::of).toList();
    }

    @POST
    @Path("/faucet")
    @Operation(summary = "On the embedded chain only: ether for gas and test BCT for the caller's wallet, once per wallet,"
            + " when it holds no ether")
    @APIResponse(responseCode = "202", description = "Sent to the outbox")
    @APIResponse(responseCode = "409", description = "Not on the embedded chain, the wallet holds ether, or it had its grant")
    public Response faucet() {
        Faucet.Grant grant = faucet.grant(accounts.currentCaller());
        return Response.accepted(new FaucetGrant(grant.wallet().value(), grant.wei().toString(), grant.tokens().toString())).build();
    }
}
