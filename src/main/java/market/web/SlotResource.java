package market.web;

import accounts.Accounts;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import market.Market;
import market.SlotListingView;
import market.SlotSaleView;
import market.SlotView;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import pools.Workload;

/**
 * Time slots as JSON (DESIGN section 6): the caller's slots, what runs on one (set by its holder or
 * its ERC-4907 user), and SlotMarket's listings and sales. Splits, merges, lending, listing and
 * buying are the wallets' own transactions on chain; the market follows them.
 */
@Path("/api/market")
@Tag(name = "Market")
public class SlotResource {

    /** uint256 has at most 78 decimal digits. */
    private static final String UINT256 = "[0-9]{1,78}";
    private static final BigInteger MAX_UINT256 = BigInteger.TWO.pow(256).subtract(BigInteger.ONE);

    @Schema(name = "MarketSlot", description = "A time slot you hold or may use, and the order that follows it")
    public record SlotJson(
            @Schema(required = true, example = "17") String tokenId,
            @Schema(required = true, example = "17") String orderId,
            @Schema(required = true, example = "RESERVED") String kind,
            @Schema(required = true, description = "The order's status", example = "SCHEDULED") String status,
            @Schema(required = true, example = "1") long poolId,
            @Schema(required = true, example = "2") int gpus,
            @Schema(required = true) Instant start,
            @Schema(description = "Null for a pay-as-you-go slot still running") Instant end,
            @Schema(required = true, description = "Who holds the slot (on chain; its customer while the mint is on its way)") String holder,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Who may use it (ERC-4907), while lent") String user,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant userExpires,
            @Schema(required = true, description = "Whether the mint reached the chain") boolean minted,
            @Schema(required = true, description = "The pool's GPU ids the order holds for the slot") List<Long> gpuIds,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "What runs on its GPUs; none after the slot changed hands "
                    + "until its new holder sets one") Workload workload,
            @Schema(required = true, description = "Yours as HOLDER or USER", example = "HOLDER") String role) {

        static SlotJson of(SlotView s) {
            return new SlotJson(s.tokenId().toString(), String.valueOf(s.orderId()), s.kind().name(), s.status().name(), s.poolId(),
                    s.gpus(), s.start(), s.end(), s.holder(), s.user(), s.userExpires(), s.minted(), s.gpuIds(), s.workload(), s.role());
        }
    }

    @Schema(name = "MarketSlotWorkload", description = "What to run on the slot's GPUs; null (or no workload) stops what runs")
    public record WorkloadBody(@Schema(description = "An OCI image, an SSH public key, environment") Workload workload) {
    }

    @Schema(name = "MarketSlotListing", description = "A slot for sale on SlotMarket; price in BerkeleyToken base units (10^-18 BCT)")
    public record ListingJson(String tokenId, @JsonInclude(JsonInclude.Include.NON_NULL) String orderId, String seller,
                              @Schema(example = "1000000000000000000") String price, String pool, long gpus, Instant start,
                              @Schema(description = "Null for a pay-as-you-go slot still running") Instant end, String kind,
                              Instant listedAt, String txHash) {
        static ListingJson of(SlotListingView l) {
            return new ListingJson(l.tokenId().toString(), l.orderId() == null ? null : l.orderId().toString(), l.seller(),
                    l.price().toString(), l.pool().toString(), l.gpus(), l.start(), l.end(), l.kind().name(), l.listedAt(), l.txHash());
        }
    }

    @Schema(name = "MarketSlotSale", description = "A sale on SlotMarket; price in BerkeleyToken base units")
    public record SaleJson(String txHash, Instant soldAt, String listedTokenId, String pieceId, String seller, String buyer,
                           String price, String pool, long gpus, Instant start, Instant end, String kind) {
        static SaleJson of(SlotSaleView s) {
            return new SaleJson(s.txHash(), s.soldAt(), s.listedTokenId().toString(), s.pieceId().toString(), s.seller(), s.buyer(),
                    s.price().toString(), s.pool().toString(), s.gpus(), s.start(), s.end(), s.kind().name());
        }
    }

    private final Market market;
    private final Accounts accounts;

    SlotResource(Market market, Accounts accounts) {
        this.market = market;
        this.accounts = accounts;
    }

    @GET
    @Path("/slots")
    @Authenticated
    @Operation(summary = "Your time slots: those you hold or may use (ERC-4907), with their orders, GPUs and workloads")
    public List<SlotJson> slots() {
        return market.slots(accounts.currentCaller()).stream().map(SlotJson::of).toList();
    }

    @GET
    @Path("/slots/{tokenId}")
    @Authenticated
    @Operation(summary = "One of your time slots (404 for a slot you neither hold nor use)")
    public SlotJson slot(@RestPath @Parameter(description = "The slot's token id", example = "17") String tokenId) {
        return SlotJson.of(market.slot(accounts.currentCaller(), tokenId("tokenId", tokenId)));
    }

    @PUT
    @Path("/slots/{tokenId}/workload")
    @Authenticated
    @Operation(summary = "Set what runs on the slot's GPUs (its holder, or its user while lent; 403 for anyone else). "
            + "A slot that changes hands runs nothing until its new holder sets this; 409 while the node agent still reports "
            + "a workload running on its GPUs (clear it with a null workload first)")
    public SlotJson workload(@RestPath @Parameter(description = "The slot's token id", example = "17") String tokenId,
                             @NotNull WorkloadBody body) {
        return SlotJson.of(market.setSlotWorkload(accounts.currentCaller(), tokenId("tokenId", tokenId), body.workload()));
    }

    @GET
    @Path("/listings")
    @Operation(summary = "Slots for sale on SlotMarket that can be bought now, newest first")
    public List<ListingJson> listings(
            @QueryParam("pool") @Parameter(description = "Only this pool's slots", example = "1") String pool,
            @QueryParam("limit") @Parameter(description = "At most this many (1 to " + Market.MAX_ROWS + ", default 100)") String limit) {
        return market.listings(pool(pool), limit(limit)).stream().map(ListingJson::of).toList();
    }

    @GET
    @Path("/sales")
    @Operation(summary = "SlotMarket's sales, newest first: a price history")
    public List<SaleJson> sales(
            @QueryParam("pool") @Parameter(description = "Only this pool's slots", example = "1") String pool,
            @QueryParam("limit") @Parameter(description = "At most this many (1 to " + Market.MAX_ROWS + ", default 100)") String limit) {
        return market.sales(pool(pool), limit(limit)).stream().map(SaleJson::of).toList();
    }

    private static BigInteger tokenId(String field, String value) {
        BigInteger id = value == null || !value.strip().matches(UINT256) ? null : new BigInteger(value.strip());
        if (id == null || id.compareTo(MAX_UINT256) > 0) {
            throw DomainException.invalid(field + ": a token id, a whole number from 0 to 2^256 - 1");
        }
        return id;
    }

    private static Optional<BigInteger> pool(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(tokenId("pool", value));
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return 100;
        }
        if (!value.strip().matches("[0-9]{1,3}") || Integer.parseInt(value.strip()) < 1 || Integer.parseInt(value.strip()) > Market.MAX_ROWS) {
            throw DomainException.invalid("limit: a whole number from 1 to " + Market.MAX_ROWS);
        }
        return Integer.parseInt(value.strip());
    }
}
