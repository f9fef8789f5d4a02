package credits.web;

import accounts.Accounts;
import accounts.WalletAddress;
import credits.Balance;
import credits.Credits;
import credits.LedgerEntry;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The signed-in caller's Data Credits: balance and ledger. Nothing here mints: DCs come from burns and card payments. */
@Path("/api/credits")
@Authenticated
@Tag(name = "Credits")
public class CreditsResource {

    public record BalanceJson(
            @Schema(required = true, example = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf") String address,
            @Schema(required = true, description = "Data Credits the wallet can spend (1 DC = 0.00001 USD)", example = "123") long dc,
            @Schema(required = true, description = "Data Credits held in escrow for the wallet's reservations", example = "0") long escrowDc) {

        static BalanceJson of(Balance balance) {
            return new BalanceJson(balance.address().value(), balance.dc().value(), balance.escrowDc().value());
        }
    }

    private final Credits credits;
    private final Accounts accounts;

    CreditsResource(Credits credits, Accounts accounts) {
        this.credits = credits;
        this.accounts = accounts;
    }

    @GET
    @Path("/balance")
    @Operation(summary = "The caller's Data Credits: what they can spend and what is in escrow")
    public BalanceJson balance() {
        return BalanceJson.of(credits.balance(caller()));
    }

    @GET
    @Path("/ledger")
    @Operation(summary = "The caller's postings, newest first; page back with before = the last id of a page")
    public List<LedgerEntry> ledger(
            @Parameter(description = "How many, newest first (1 to " + Credits.MAX_HISTORY + ", default 100)", example = "100",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "" + Credits.MAX_HISTORY, defaultValue = "100"))
            @QueryParam("limit") @Min(1) @Max(Credits.MAX_HISTORY) Integer limit,
            @Parameter(description = "Only postings with ids below this one (the last id of the previous page)", example = "1200",
                    schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "1"))
            @QueryParam("before") @Min(1) Long before) {
        return credits.history(caller(), limit == null ? 100 : limit, before);
    }

    private WalletAddress caller() {
        return accounts.currentCaller().address();
    }
}
