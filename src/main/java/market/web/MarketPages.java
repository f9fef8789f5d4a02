package market.web;

import accounts.Accounts;
import accounts.Caller;
import chain.Chain;
import chain.ContractName;
import chain.SlotListing;
import chain.SlotSale;
import chain.TimeSlot;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import market.Availability;
import market.Market;
import market.MarketConfig;
import market.Offer;
import market.OfferFilter;
import market.OrderKind;
import market.OrderView;
import market.PoolHold;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestPath;
import org.web3j.crypto.Hash;
import platform.DomainException;
import pools.PoolView;
import pools.Pools;
import pools.Usd;

/**
 * The market's pages (DESIGN section 6): the marketplace with quotes and orders, the caller's
 * rentals, the caller's time slots and the slot market, and a pool's allocations for its operator.
 * Reads go through the market and chain facades; what the pages do goes through the JSON API
 * (orders, stop) from small page scripts, and through the visitor's own wallet (EIP-1193) for
 * everything on chain: split, merge, set user, list, cancel, buy.
 */
@Path("/market")
@Produces(MediaType.TEXT_HTML)
public class MarketPages {

    /** The most listings and sales a page shows. */
    static final int ROWS = 200;
    /** The longest max-price or reputation filter, in digits. */
    private static final int MAX_FILTER_DIGITS = 12;

    /** The functions the page scripts call, each as its 4-byte selector (0x-hex), rendered into the page for its ABI encoding. */
    public record Selectors(String splitAt, String splitByCount, String merge, String setUser, String setApprovalForAll,
                            String isApprovedForAll, String list, String cancel, String buy, String approve, String allowance,
                            String balanceOf, String buyPart, String transferFrom) {
    }

    static final Selectors SELECTORS = new Selectors(selector("splitAt(uint256,uint64)"), selector("splitByCount(uint256,uint32)"),
            selector("merge(uint256,uint256)"), selector("setUser(uint256,address,uint64)"), selector("setApprovalForAll(address,bool)"),
            selector("isApprovedForAll(address,address)"), selector("list(uint256,uint256)"), selector("cancel(uint256)"),
            selector("buy(uint256,uint256)"), selector("approve(address,uint256)"), selector("allowance(address,address)"),
            selector("balanceOf(address)"), selector("buyPart(uint256,uint64,uint64,uint32,uint256)"),
            selector("transferFrom(address,address,uint256)"));

    /** What the wallet scripts need: the chain, the three contracts (null until deployed) and the selectors. */
    public record Contracts(String chainIdHex, String slots, String slotMarket, String token, Selectors selectors) {
        public boolean ready() {
            return slots != null && slotMarket != null && token != null;
        }
    }

    /** The marketplace's filter as the visitor typed it, to fill the form again. */
    public record Filter(String model, String region, String kind, String gpus, String start, String end, String maxPrice,
                         String minReputation) {
    }

    /** A pool on the marketplace: its offer, the rate the asked kind pays per GPU-hour (DC and USD) and its availability chart. */
    public record OfferRow(market.Offer offer, long rateDc, String rateUsd, String chart) {
    }

    public record MarketView(Filter filter, OrderKind kind, List<OfferRow> offers, String nextHour, long hours, String notice) {
        public List<String> kinds() {
            return java.util.Arrays.stream(OrderKind.values()).map(Enum::name).toList();
        }
    }

    /** A rental with what its page shows: whether it can be stopped, and how to connect once it runs. */
    public record Rental(OrderView order, boolean stoppable, String sshCommand) {
    }

    /** A slot with its open listing, if any. */
    public record SlotRow(TimeSlot slot, SlotListing listing, Instant start, Instant end, String user, Instant userUntil) {
        public String id() {
            return slot.tokenId().toString();
        }

        public boolean reserved() {
            return !slot.terms().kind().payAsYouGo();
        }
    }

    public record SlotsView(String wallet, Contracts contracts, List<SlotRow> slots) {
        /** The slots that split and merge work on (reserved ones: pay-as-you-go slots are neither split nor merged). */
        public List<SlotRow> mergeable() {
            return slots.stream().filter(SlotRow::reserved).toList();
        }
    }

    public record ListingRow(SlotListing listing, Instant start, Instant end, boolean mine) {
        /** Whether part of it can be bought (SlotMarket.buyPart): a reservation of more than one GPU or more than one hour. */
        public boolean divisible() {
            return !listing.terms().kind().payAsYouGo() && end != null
                    && (listing.terms().gpuCount() > 1 || Duration.between(start, end).compareTo(Duration.ofHours(1)) > 0);
        }
    }

    public record SaleRow(SlotSale sale, String bctPerGpuHour) {
    }

    public record ListingsView(String wallet, Contracts contracts, List<ListingRow> listings, List<SaleRow> sales, String chart) {
    }

    public record AllocationsView(PoolView pool, Instant from, Instant to, List<PoolHold> holds, String chart) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance market(MarketView page);

        static native TemplateInstance rentals(List<Rental> rentals);

        static native TemplateInstance slots(SlotsView page);

        static native TemplateInstance listings(ListingsView page);

        static native TemplateInstance allocations(AllocationsView page);
    }

    private final Market market;
    private final Chain chain;
    private final Pools pools;
    private final Accounts accounts;
    private final MarketConfig config;
    private final Clock clock;

    MarketPages(Market market, Chain chain, Pools pools, Accounts accounts, MarketConfig config, Clock clock) {
        this.config = config;
        this.market = market;
        this.chain = chain;
        this.pools = pools;
        this.accounts = accounts;
        this.clock = clock;
    }

    @GET
    @Operation(hidden = true)
    public TemplateInstance marketplace(@QueryParam("model") String model, @QueryParam("region") String region,
                                        @QueryParam("kind") String kind, @QueryParam("gpus") String gpus,
                                        @QueryParam("start") String start, @QueryParam("end") String end,
                                        @QueryParam("maxPrice") String maxPrice, @QueryParam("minReputation") String minReputation) {
        OrderKind asked = Optional.ofNullable(MarketResource.kind(kind)).orElse(OrderKind.RESERVED);
        Instant from = MarketResource.instant("start", start);
        Instant to = MarketResource.instant("end", end);
        Long priceCap = whole("maxPrice", maxPrice);
        Long reputationFloor = whole("minReputation", minReputation);
        if (reputationFloor != null && reputationFloor > 100) {
            throw DomainException.invalid("minReputation: from 0 to 100");
        }
        Instant thisHour = clock.instant().truncatedTo(ChronoUnit.HOURS);
        Instant windowStart = from != null ? from : clock.instant();
        long hours = Math.max(1, Duration.between(windowStart, to != null ? to : windowStart.plus(Duration.ofHours(1))).toHours());
        Instant chartFrom = (from != null && asked == OrderKind.RESERVED ? from : thisHour).truncatedTo(ChronoUnit.HOURS);
        List<Offer> offers = market.offers(new OfferFilter(model, region, asked, MarketResource.count("gpus", gpus), from, to)).stream()
                .filter(o -> reputationFloor == null || o.reputation() >= reputationFloor)
                .filter(o -> priceCap == null || o.dcPerGpuHour(asked, hours) <= priceCap).toList();
        Map<Long, Availability> charts = market.availability(offers.stream().map(Offer::poolId).toList(), chartFrom,
                chartFrom.plus(Duration.ofHours(24)));
        List<OfferRow> rows = offers.stream().map(o -> {
            long rate = o.dcPerGpuHour(asked, hours);
            Availability chart = charts.get(o.poolId());
            return new OfferRow(o, rate, Usd.fromDataCredits(rate), MarketCharts.availability(chart != null ? chart
                    : market.availability(o.poolId(), chartFrom, chartFrom.plus(Duration.ofHours(24)))));
        }).toList();
        return Templates.market(new MarketView(new Filter(model, region, asked.name(), gpus, start, end, maxPrice, minReputation), asked,
                rows, thisHour.plus(Duration.ofHours(1)).toString(), 24, notice(config.preemptionNotice())));
    }

    @GET
    @Path("rentals")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance rentals() {
        return Templates.rentals(market.orders(accounts.currentCaller()).stream()
                .map(o -> new Rental(o, o.kind() != OrderKind.RESERVED && o.status().open(), ssh(o.endpoint()))).toList());
    }

    @GET
    @Path("slots")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance slots() {
        String wallet = accounts.currentCaller().address().value();
        Instant now = clock.instant();
        List<SlotRow> rows = chain.timeSlotsOf(wallet).stream().map(s -> new SlotRow(s, chain.listing(s.tokenId()).orElse(null),
                s.terms().start().instant().orElse(null), s.terms().end().instant().orElse(null), s.userAt(now).orElse(null),
                s.userAt(now).isPresent() ? s.userExpires().instant().orElse(null) : null)).toList();
        return Templates.slots(new SlotsView(wallet, contracts(), rows));
    }

    @GET
    @Path("listings")
    @Operation(hidden = true)
    public TemplateInstance listings() {
        String wallet = accounts.currentCallerIfSignedIn().map(c -> c.address().value()).orElse(null);
        List<ListingRow> listings = chain.activeListings(Optional.empty(), ROWS).stream()
                .map(l -> new ListingRow(l, l.terms().start().instant().orElse(null), l.terms().end().instant().orElse(null),
                        l.seller().equals(wallet))).toList();
        List<SlotSale> sales = chain.slotSales(Optional.empty(), ROWS);
        return Templates.listings(new ListingsView(wallet, contracts(), listings,
                sales.stream().map(s -> new SaleRow(s, MarketCharts.shown(MarketCharts.bctPerGpuHour(s)))).toList(), MarketCharts.salePrices(sales)));
    }

    @GET
    @Path("pools/{id}/allocations")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance allocations(@RestPath long id, @QueryParam("from") String from, @QueryParam("to") String to) {
        Caller caller = accounts.currentCaller();
        Instant start = Optional.ofNullable(MarketResource.instant("from", from)).orElse(clock.instant().truncatedTo(ChronoUnit.HOURS));
        Instant end = Optional.ofNullable(MarketResource.instant("to", to)).orElse(start.plus(Duration.ofHours(48)));
        List<PoolHold> holds = market.poolHolds(caller, id, start, end);
        PoolView pool = pools.pool(id).orElseThrow(() -> DomainException.notFound("There is no pool " + id));
        return Templates.allocations(new AllocationsView(pool, start, end, holds, MarketCharts.allocations(holds, start, end)));
    }

    private Contracts contracts() {
        return new Contracts("0x" + Long.toHexString(chain.info().chainId()), chain.contractAddress(ContractName.TimeSlotNFT).orElse(null),
                chain.contractAddress(ContractName.SlotMarket).orElse(null), chain.contractAddress(ContractName.BerkeleyToken).orElse(null),
                SELECTORS);
    }

    /** "ssh -p PORT USER@HOST" for an endpoint "host:port" (the user is the image's login user), or null. */
    static String ssh(String endpoint) {
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        int colon = endpoint.lastIndexOf(':');
        if (colon <= 0 || colon == endpoint.length() - 1) {
            return "ssh USER@" + endpoint;
        }
        String host = endpoint.substring(0, colon);
        return "ssh -p " + endpoint.substring(colon + 1) + " USER@" + (host.contains(":") ? "[" + host + "]" : host);
    }

    /** "2 minutes", "90 seconds". */
    static String notice(Duration notice) {
        long seconds = notice.toSeconds();
        return seconds % 60 == 0 ? seconds / 60 + (seconds == 60 ? " minute" : " minutes") : seconds + " seconds";
    }

    private static Long whole(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String digits = value.strip();
        if (digits.length() > MAX_FILTER_DIGITS || !digits.chars().allMatch(Character::isDigit)) {
            throw DomainException.invalid(field + ": a whole number of at most " + MAX_FILTER_DIGITS + " digits");
        }
        return Long.parseLong(digits);
    }

    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }
}
