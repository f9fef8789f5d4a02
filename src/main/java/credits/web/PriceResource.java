package credits.web;

import credits.CurrentPrice;
import credits.Oracle;
import credits.PricePoint;
import credits.Quote;
import credits.TokenAmount;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import platform.DomainException;

/** The token price oracle and quotes (DESIGN section 10, "Credits and epochs"). */
@Path("/api/credits")
@Tag(name = "Credits")
public class PriceResource {

    @Schema(description = "The price CreditsBurner burns at: USD per whole token × 10^8")
    public record PriceView(
            @Schema(required = true, description = "USD per whole token × 10^8, a decimal string", example = "25000000") String priceE8,
            @Schema(required = true, example = "0.25") String usdPerToken,
            @Schema(required = true) Instant observedAt,
            @Schema(required = true, description = "True once the price is older than the contract accepts: burns are refused") boolean stale,
            @Schema(required = true, description = "From when the contract refuses the price") Instant staleAt,
            @Schema(description = "A newer price on its way to the chain, not yet used by the contract", nullable = true)
            PriceChange pending) {

        static PriceView of(CurrentPrice current) {
            PricePoint p = current.point();
            return new PriceView(String.valueOf(p.price().priceE8()), p.price().usd(), p.observedAt(), current.stale(),
                    current.staleAt(), current.pending().map(PriceChange::of).orElse(null));
        }
    }

    @Schema(description = "A price an admin set and how far its CreditsBurner.setPrice has come")
    public record PriceChange(
            @Schema(required = true, example = "25000000") String priceE8,
            @Schema(required = true, example = "0.25") String usdPerToken,
            @Schema(required = true) Instant observedAt,
            @Schema(required = true, enumeration = {"PENDING", "SENT", "CONFIRMED", "FAILED"}) String onChain,
            @Schema(nullable = true) String txHash) {

        static PriceChange of(PricePoint p) {
            return new PriceChange(String.valueOf(p.price().priceE8()), p.price().usd(), p.observedAt(), p.onChain().name(),
                    p.txHash());
        }
    }

    @Schema(description = "A new token price")
    public record SetPrice(
            @Schema(required = true, description = "US dollars per whole token: more than 0, at most 1000000, at most 8 decimals",
                    example = "0.25", pattern = "^[0-9]{1,7}(\\.[0-9]{1,8})?$", maxLength = 16)
            @NotNull @Pattern(regexp = "[0-9]{1,7}(\\.[0-9]{1,8})?",
                    message = "must be US dollars per token such as \"0.25\" (at most 8 decimals, at most 1000000)") String usdPerToken) {
    }

    @Schema(description = "An amount of tokens to price")
    public record QuoteRequest(
            @Schema(required = true, description = "Token base units (18 decimals) as a decimal string, up to 2^256-1",
                    example = "1000000000000000000", pattern = "^[0-9]{1,78}$", maxLength = 78)
            @NotNull @Pattern(regexp = "[0-9]{1,78}", message = "must be a whole number of token base units (18 decimals) as a decimal string")
            String tokens) {
    }

    @Schema(description = "What burning the tokens mints now")
    public record QuoteView(
            @Schema(required = true, description = "Data Credits: floor(tokens × priceE8 / 10^21), as CreditsBurner computes them") long dc,
            @Schema(required = true, example = "1000000000000000000") String tokens,
            @Schema(required = true, example = "25000000") String priceE8,
            @Schema(required = true) Instant observedAt,
            @Schema(required = true, description = "From when the price is stale and burns are refused") Instant staleAt,
            @Schema(required = true, description = "The fewest base units that buy 1 DC (a burn buying 0 DC is refused)") String smallestBurn) {
    }

    private final Oracle oracle;

    PriceResource(Oracle oracle) {
        this.oracle = oracle;
    }

    @GET
    @Path("/price")
    @Operation(summary = "The token price CreditsBurner burns at (the newest confirmed on chain), and whether it is stale")
    @APIResponse(responseCode = "200", description = "The price")
    @APIResponse(responseCode = "404", description = "No price is on chain yet")
    public PriceView price() {
        return oracle.current().map(PriceView::of).orElseThrow(() -> DomainException.notFound(
                "No token price is on chain yet; an admin sets one at /admin/credits/price"));
    }

    @GET
    @Path("/price/history")
    @Operation(summary = "The prices admins set, newest first, with how far each push to the chain has come")
    public List<PriceChange> history(
            @Parameter(description = "How many, newest first (1 to 500, default 100)", example = "100",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
            @QueryParam("limit") @Min(1) @Max(Oracle.HISTORY_LIMIT) Integer limit) {
        return oracle.history(limit == null ? 100 : limit).stream().map(PriceChange::of).toList();
    }

    @POST
    @Path("/quote")
    @Operation(summary = "What burning an amount of tokens mints now, by the contract's formula floor(tokens × priceE8 / 10^21)")
    @APIResponse(responseCode = "200", description = "The quote")
    @APIResponse(responseCode = "409", description = "No price is on chain, or it is stale: the contract would refuse the burn")
    public QuoteView quote(@Valid @NotNull QuoteRequest request) {
        Quote quote = oracle.quote(TokenAmount.parse(request.tokens(), "tokens"));
        return new QuoteView(quote.dc().value(), quote.tokens().toString(), String.valueOf(quote.price().priceE8()),
                quote.observedAt(), quote.staleAt(), quote.smallestBurn().toString());
    }
}
