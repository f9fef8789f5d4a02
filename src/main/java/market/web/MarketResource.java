package market.web;

import accounts.Accounts;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import market.Availability;
import market.Market;
import market.Offer;
import market.OfferFilter;
import market.OrderKind;
import market.OrderRequest;
import market.OrderView;
import market.Quote;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import pools.Prices;
import pools.Workload;

/** The market as JSON (DESIGN section 10, "Market (public)"): offers, availability, quotes and the caller's orders. */
@Path("/api/market")
@Tag(name = "Market")
public class MarketResource {

    private static final int MAX_INSTANT_LENGTH = 40;

    @Schema(name = "MarketOrderRequest", description = "An order: GPUs of one pool; start and end for reservations only")
    public record OrderBody(
            @Schema(required = true, description = "The pool (GET /api/market/pools)", example = "1") Long poolId,
            @Schema(required = true, example = "RESERVED") OrderKind kind,
            @Schema(required = true, minimum = "1", maximum = "" + OrderRequest.MAX_GPUS, example = "2") Integer gpus,
            @Schema(description = "A reservation's start, on a whole hour (UTC), this hour or later", example = "2026-12-04T10:00:00Z") Instant start,
            @Schema(description = "A reservation's end, on a whole hour", example = "2026-12-05T10:00:00Z") Instant end,
            @Schema(description = "What to run: an OCI image, an SSH public key, environment") Workload workload) {

        OrderRequest request() {
            return new OrderRequest(poolId, kind, gpus, start, end, workload);
        }
    }

    @Schema(name = "MarketNotice", description = "When a spot rental under notice stops")
    public record NoticeJson(Instant stopsAt) {
    }

    @Schema(name = "MarketLowBalance", description = "The payer's balance runs low")
    public record LowBalanceJson(long minutesLeft) {
    }

    @Schema(name = "MarketOrder")
    public record OrderJson(
            @Schema(required = true, example = "17") String id,
            @Schema(required = true, example = "RESERVED") String kind,
            @Schema(required = true, description = "SCHEDULED, STARTING, RUNNING, PREEMPTING, PREEMPTED, STOPPED, ENDED, FAILED, "
                    + "or SPLIT or MERGED (its slot became others on chain, each an order of its own)",
                    example = "SCHEDULED") String status,
            @Schema(required = true, example = "1") long poolId,
            @Schema(required = true, example = "2") int gpus,
            @Schema(required = true) Instant start,
            @Schema(description = "A reservation's end; a pay-as-you-go rental's once it ended, else null") Instant end,
            @Schema(required = true, description = "A reservation: what was paid into escrow for the window; spot and on-demand: "
                    + "the rate, DC per hour for all its GPUs", example = "8640000") long priceDc,
            @Schema(required = true, description = "DCs charged so far: pay-as-you-go minutes burned from the payer's balance; "
                    + "a reservation, what its served minutes cost from escrow", example = "0") long chargedDc,
            @Schema(required = true, description = "The order's time-slot NFT", example = "17") String slotTokenId,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "On-demand only: how long it is guaranteed (rolled forward while no reservation is in the way)")
            Instant guaranteedUntil,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Spot only, once under notice") NoticeJson notice,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Where to connect (host:port), once the node agent reports the workload running",
                    example = "gpu-7.dc.example:49153") String endpoint,
            @Schema(required = true, description = "GPU-minutes metered so far: pay-as-you-go, minutes the workload ran in (charged); "
                    + "a reservation, minutes its GPUs were online (served from escrow)", example = "0") long chargedMinutes,
            @Schema(required = true, description = "A reservation: DCs of unserved GPU-minutes (a GPU down) given back from escrow to "
                    + "the slot's holder", example = "0") long refundedDc,
            @Schema(required = true, description = "A reservation: unserved GPU-minutes refunded", example = "0") long refundedMinutes,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "Every minute before it is metered; null: none yet")
            Instant meteredThrough,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "A running spot or on-demand rental whose payer's balance covers less than bc.market.low-balance-notice "
                    + "at the rate of the rentals it pays for: the minutes left (at 0 the rental stops)")
            LowBalanceJson lowBalance,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "Why the market ended it, such as a payer out of DCs", example = "out of DCs: the balance of 0x… is used up")
            String endReason) {

        static OrderJson of(OrderView o) {
            return new OrderJson(String.valueOf(o.id()), o.kind().name(), o.status().name(), o.poolId(), o.gpus(), o.start(), o.end(),
                    o.priceDc(), o.chargedDc(), o.slotTokenId().toString(), o.guaranteedUntil(),
                    o.noticeStopsAt() == null ? null : new NoticeJson(o.noticeStopsAt()), o.endpoint(), o.chargedMinutes(), o.refundedDc(),
                    o.refundedMinutes(), o.meteredThrough(), o.lowBalanceMinutes() == null ? null : new LowBalanceJson(o.lowBalanceMinutes()),
                    o.endReason());
        }
    }

    @Schema(name = "MarketReservedPrice")
    public record ReservedJson(int termDays, long dcPerHour) {
    }

    @Schema(name = "MarketPrices", description = "DC per GPU-hour (1 DC = 0.00001 USD)")
    public record PricesJson(long spotDcPerHour, long onDemandDcPerHour, List<ReservedJson> reserved) {
        static PricesJson of(Prices p) {
            return new PricesJson(p.spotDcPerHour(), p.onDemandDcPerHour(),
                    p.reserved().stream().map(r -> new ReservedJson(r.termDays(), r.dcPerHour())).toList());
        }
    }

    @Schema(name = "MarketOffer")
    public record OfferJson(long poolId, String name, String modelId, String region, String mode,
                            @Schema(description = "0 to 100") int reputation, PricesJson prices, int gpusInService,
                            @Schema(description = "GPUs free over the asked window for the asked kind") int freeGpus) {
        static OfferJson of(Offer o) {
            return new OfferJson(o.poolId(), o.name(), o.modelId(), o.region(), o.mode(), o.reputation(), PricesJson.of(o.prices()),
                    o.gpusInService(), o.freeGpus());
        }
    }

    private final Market market;
    private final Accounts accounts;

    MarketResource(Market market, Accounts accounts) {
        this.market = market;
        this.accounts = accounts;
    }

    @GET
    @Path("/pools")
    @Operation(summary = "Offers: pools with their prices, reputation and GPUs free over a window (reservations), "
            + "over the on-demand horizon (kind=ON_DEMAND) or now (kind=SPOT)")
    public List<OfferJson> offers(
            @QueryParam("model") @Parameter(description = "A model id", example = "h100-sxm") String model,
            @QueryParam("region") @Parameter(example = "eu-central") String region,
            @QueryParam("kind") @Parameter(description = "SPOT, ON_DEMAND or RESERVED (the default)", example = "RESERVED") String kind,
            @QueryParam("gpus") @Parameter(description = "Only pools with at least this many free (1 to " + OrderRequest.MAX_GPUS + ")",
                    example = "2") String gpus,
            @QueryParam("start") @Parameter(description = "Window start (default now)", example = "2026-12-04T10:00:00Z") String start,
            @QueryParam("end") @Parameter(description = "Window end (default start + 1 h)", example = "2026-12-04T11:00:00Z") String end) {
        return market.offers(new OfferFilter(model, region, kind(kind), count("gpus", gpus), instant("start", start), instant("end", end)))
                .stream().map(OfferJson::of).toList();
    }

    @GET
    @Path("/pools/{id}/availability")
    @Operation(summary = "GPUs of the pool free for reservation, hour by hour (default: 24 hours from this hour)")
    public Availability availability(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                                     @QueryParam("start") @Parameter(example = "2026-12-04T00:00:00Z") String start,
                                     @QueryParam("end") @Parameter(example = "2026-12-05T00:00:00Z") String end) {
        return market.availability(id, instant("start", start), instant("end", end));
    }

    @POST
    @Path("/quotes")
    @Operation(summary = "What an order would cost and how many GPUs are free for it; changes nothing")
    public Quote quote(@NotNull OrderBody body) {
        return market.quote(body.request());
    }

    @POST
    @Path("/orders")
    @Authenticated
    @Operation(summary = "Order GPUs: 201 with the order; the same Idempotency-Key with the same body gives the same order. "
            + "409 when too few GPUs are free (the detail says how many are), 402 when the balance does not cover it")
    public Response order(@HeaderParam("Idempotency-Key") @Parameter(required = true, description = "Names this order (1 to "
                                  + Market.MAX_IDEMPOTENCY_KEY + " printable characters), such as a UUID", example = "3f1c2a9e-order-1") String key,
                          @NotNull OrderBody body) {
        OrderView order = market.order(accounts.currentCaller(), key, body.request());
        return Response.status(201).entity(OrderJson.of(order)).build();
    }

    @GET
    @Path("/orders")
    @Authenticated
    @Operation(summary = "Your orders, newest first (at most " + Market.MAX_ORDERS_LISTED + ")")
    public List<OrderJson> orders() {
        return market.orders(accounts.currentCaller()).stream().map(OrderJson::of).toList();
    }

    @GET
    @Path("/orders/{id}")
    @Authenticated
    @Operation(summary = "One of your orders")
    public OrderJson order(@RestPath @Parameter(description = "The order's id", example = "17") long id) {
        return OrderJson.of(market.order(accounts.currentCaller(), id));
    }

    @POST
    @Path("/orders/{id}/stop")
    @Authenticated
    @Operation(summary = "Stop your spot or on-demand rental now (its GPUs are freed and its charges end); "
            + "a reservation is prepaid and runs to its end (409)")
    public OrderJson stop(@RestPath @Parameter(description = "The order's id", example = "17") long id) {
        return OrderJson.of(market.stop(accounts.currentCaller(), id));
    }

    static OrderKind kind(String kind) {
        if (kind == null || kind.isBlank()) {
            return null;
        }
        try {
            return OrderKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("kind: SPOT, ON_DEMAND or RESERVED");
        }
    }

    static Integer count(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.strip().matches("[0-9]{1,4}")) {
            throw DomainException.invalid(field + ": a whole number from 1 to " + OrderRequest.MAX_GPUS);
        }
        return Integer.valueOf(value.strip()); // OfferFilter checks the range
    }

    static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() > MAX_INSTANT_LENGTH) {
                throw new DateTimeParseException("too long", value, 0);
            }
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw DomainException.invalid(field + ": an instant in UTC, such as 2026-12-04T10:00:00Z");
        }
    }
}
