package pools.web;

import accounts.Accounts;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import pools.AuditView;
import pools.GpuEvent;
import pools.GpuRegistration;
import pools.GpuView;
import pools.MemberPolicy;
import pools.MemberView;
import pools.MintRequest;
import pools.OperatorView;
import pools.PoolMode;
import pools.PoolSpec;
import pools.PoolView;
import pools.Pools;
import pools.Prices;
import pools.Reputation;
import pools.SpotCheck;
import pools.RewardShares;
import pools.Usd;

/** Operators, pools, their GPUs and members, as JSON. */
@Path("/api")
@Tag(name = "Pools")
public class PoolsResource {

    @Schema(name = "NewOperator", description = "An operator to create for your wallet")
    public record NewOperator(
            @NotNull @Schema(required = true, minLength = 1, maxLength = 80, description = "The operator's name", example = "Frankfurt GPUs")
            String name) {
    }

    @Schema(name = "PoolPrice", description = "A price per GPU-hour, in USD and in Data Credits (1 DC = 0.00001 USD)")
    public record PriceJson(@Schema(example = "2.00") String usdPerHour, @Schema(example = "200000") long dcPerHour) {
        static PriceJson of(long dc) {
            return new PriceJson(Usd.fromDataCredits(dc), dc);
        }
    }

    @Schema(name = "PoolReservedPrice", description = "The price of reserving for a term of termDays days or more")
    public record ReservedJson(
            @Schema(required = true, minimum = "1", maximum = "" + PoolSpecs.MAX_TERM_DAYS, example = "30") Integer termDays,
            @Schema(required = true, pattern = PoolSpecs.USD_PATTERN, maxLength = 13, example = "1.80",
                    description = "USD per GPU-hour: at most 7 digits before the point and 5 after it") String usdPerHour,
            @Schema(readOnly = true, description = "The same price in Data Credits (in answers only)", example = "180000") Long dcPerHour) {
    }

    @Schema(name = "PoolPrices", description = "A pool's prices per GPU-hour in USD (at most 7 digits before the point and 5 after it)")
    public record PricesJson(
            @Schema(required = true, pattern = PoolSpecs.USD_PATTERN, maxLength = 13, example = "1.20") String spotUsdPerHour,
            @Schema(required = true, pattern = PoolSpecs.USD_PATTERN, maxLength = 13, example = "2.00") String onDemandUsdPerHour,
            @Schema(maxItems = PoolSpecs.MAX_RESERVED_TERMS, description = "Reserved prices by term; each term once") List<ReservedJson> reserved) {
    }

    @Schema(name = "PoolShares", description = "How the pool's allocation is split, in basis points that add up to 10,000")
    public record SharesJson(
            @Schema(required = true, minimum = "0", maximum = "10000", example = "1000") Integer operatorBps,
            @Schema(required = true, minimum = "0", maximum = "10000", example = "6000") Integer poolBps,
            @Schema(required = true, minimum = "0", maximum = "10000", example = "3000") Integer usedGpuBps) {
    }

    @Schema(name = "PoolMemberPolicy", description = "What a distributed pool asks of its members; a stricter one applies from a future epoch")
    public record PolicyJson(
            @Schema(required = true, pattern = "^[0-9]{1,3}(\\.[0-9]{0,2})?$", maxLength = 6, example = "95",
                    description = "Minimum uptime in percent, 0 to 100, at most 2 decimals") String minUptimePercent,
            @Schema(required = true, minimum = "1", description = "The window uptime is measured over, in hours (at most bc.pools.max-policy-window)",
                    example = "24") Long windowHours,
            @Schema(required = true, minimum = "0", maximum = "" + MemberPolicy.MAX_FAILURES, example = "3") Integer maxFailures,
            @Schema(required = true, minimum = "0", description = "How long a warned member has to recover, in hours (at most bc.pools.max-warning-grace)",
                    example = "24") Long warningGraceHours) {
    }

    /** A pool as an operator writes it; on edit, fields left out stay as they are. */
    @Schema(name = "PoolRequest", description = "A pool as an operator writes it; on edit, fields left out stay as they are "
            + "(on create, all but mode's and shares' defaults are required)")
    public record PoolRequest(
            @Schema(description = "The operator (operator NFT token id) that runs the pool; required on create", example = "1") Long operatorId,
            @Schema(minLength = 1, maxLength = 80, example = "Frankfurt H100") String name,
            @Schema(example = "SELF") PoolMode mode,
            @Schema(maxLength = 40, description = "A model id from GET /api/gpu/models", example = "h100-sxm") String modelId,
            @Schema(minLength = 1, maxLength = 60, example = "eu-central") String region,
            PricesJson prices, SharesJson shares,
            @Schema(minimum = "0", description = "How long a GPU (or member) waits before it leaves, in hours (at most "
                    + "bc.pools.max-notice-period); a longer one applies from a future epoch", example = "72") Long noticePeriodHours,
            PolicyJson policy) {
    }

    @Schema(name = "Pool")
    public record PoolJson(long id, String name, OperatorView operator, PoolMode mode, String modelId, String modelName,
                           String region, PriceJson spot, PriceJson onDemand, List<ReservedJson> reserved, RewardShares shares,
                           PendingJson pendingShares,
                           @Schema(description = "The notice period in force now, in hours") long noticePeriodHours,
                           @Schema(description = "The member policy in force now") PolicyJson policy,
                           PoolView.Size size, Reputation reputation,
                           @Schema(description = "An announced longer notice period and/or stricter policy, and from when they apply; "
                                   + "null when none") PendingTermsJson pendingTerms) {
    }

    @Schema(name = "PoolPendingShares", description = "Announced reward shares and the epoch (and instant) from which they apply")
    public record PendingJson(RewardShares shares, long fromEpoch, Instant from) {
    }

    @Schema(name = "PoolPendingTerms", description = "Announced terms (each null when not changed) and the epoch (and instant) from which "
            + "they apply; until then the ones in force hold, also for a member who asks to leave")
    public record PendingTermsJson(Long noticePeriodHours, PolicyJson policy, long fromEpoch, Instant from) {
    }

    @Schema(name = "NewGpu", description = "A GPU to register to a pool")
    public record NewGpu(
            @Schema(description = "The operator registering it (a member, in a distributed pool); the pool's operator by default",
                    example = "1") Long operatorId,
            @Schema(required = true, minLength = 1, maxLength = 253, example = "gpu-host-1") String hostName,
            @Schema(required = true, minLength = 1, maxLength = 100, example = "1654923000123") String serialNumber,
            @Schema(required = true, maxLength = 64, description = "The UUID the driver reports (nvidia-smi -L)",
                    example = "GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab") String uuid) {
    }

    @Schema(name = "GpuMintRequest", description = "What a GPU NFT records beside its certificate, and who receives it")
    public record MintJson(
            @Schema(description = "The wallet that receives the NFT; the operator's when left out",
                    example = "0x00000000000000000000000000000000000000aa") String to,
            @Schema(required = true, example = "2025-01-10") LocalDate purchaseDate,
            @Schema(required = true, example = "2025-02-01") LocalDate inServiceDate,
            @Schema(maxLength = 500, example = "https://dc.example/hosting/42") String hostingAgreementUrl,
            @Schema(maxLength = 500, example = "https://dc.example/own/42") String ownershipContractUrl) {
    }

    @Schema(name = "GpuMintRetry", description = "Asks a refused mint again; the recipient may be corrected")
    public record MintRetryJson(
            @Schema(description = "The wallet that receives the NFT; the previous request's when left out",
                    example = "0x00000000000000000000000000000000000000aa") String to) {
    }

    @Schema(name = "ChangeReason", description = "Why, in at most 400 characters")
    public record Reason(@Schema(maxLength = Pools.MAX_REASON, example = "hardware never showed up") String reason) {
    }

    @Schema(name = "JoinRequest", description = "A request to join a distributed pool")
    public record JoinRequest(
            @NotNull @Schema(required = true, description = "Your operator that joins", example = "2") Long operatorId,
            @Schema(maxLength = 500, example = "8 x H100 in Frankfurt") String message) {
    }

    @Schema(name = "GpuDetail")
    public record GpuDetail(GpuView gpu, List<GpuEvent> history) {
    }

    private final Pools pools;
    private final Accounts accounts;

    PoolsResource(Pools pools, Accounts accounts) {
        this.pools = pools;
        this.accounts = accounts;
    }

    // --- operators

    @POST
    @Path("/operators")
    @Authenticated
    @Operation(summary = "Become a pool operator: an operator NFT is minted to your wallet; its holder is the operator")
    public Response becomeOperator(@Valid @NotNull NewOperator request) {
        return Response.status(201).entity(pools.becomeOperator(accounts.currentCaller(), request.name())).build();
    }

    @GET
    @Path("/operators/mine")
    @Authenticated
    @Operation(summary = "The operators whose rights your wallet has")
    public List<OperatorView> myOperators() {
        return pools.operatorsOf(accounts.currentCaller().address());
    }

    // --- pools

    @GET
    @Path("/pools")
    @Operation(summary = "Every pool: model, region, prices, reward shares, size and reputation")
    public List<PoolJson> publicPools() {
        return pools.publicPools().stream().map(PoolsResource::json).toList();
    }

    @GET
    @Path("/pools/{id}")
    @Operation(summary = "One pool, with the terms in force and those announced for later")
    public PoolJson pool(@RestPath @Parameter(description = "The pool's id", example = "1") long id) {
        return json(pools.pool(id).orElseThrow(() -> DomainException.notFound("There is no pool " + id)));
    }

    @POST
    @Path("/pools")
    @Authenticated
    @Operation(summary = "Create a pool for one of your operators")
    public Response createPool(@NotNull PoolRequest request) {
        if (request.operatorId() == null) {
            throw DomainException.invalid("operatorId: the operator (operator NFT token id) that runs the pool");
        }
        return Response.status(201).entity(json(pools.createPool(accounts.currentCaller(), request.operatorId(), () -> spec(request)))).build();
    }

    @PUT
    @Path("/pools/{id}")
    @Authenticated
    @Operation(summary = "Edit your pool; new reward shares, a longer notice period and a stricter member policy are announced "
            + "and apply from a future epoch")
    public PoolJson updatePool(@RestPath @Parameter(description = "The pool's id", example = "1") long id, @NotNull PoolRequest request) {
        return json(pools.updatePool(accounts.currentCaller(), id, () -> spec(request)));
    }

    @GET
    @Path("/pools/{id}/uptime")
    @Operation(summary = "Hourly uptime of the pool's GPUs in service (or one operator's), for charts")
    public List<Pools.UptimePoint> uptime(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                                          @QueryParam("days") @Parameter(description = "How many days back, 1 to 90 (7 by default)",
                                                  schema = @Schema(minimum = "1", maximum = "90"), example = "7") Integer days,
                                          @QueryParam("operatorId") @Parameter(description = "Only this member's GPUs", example = "2")
                                          Long operatorId) {
        if (days != null && (days < 1 || days > 90)) {
            throw DomainException.invalid("days: 1 to 90");
        }
        return pools.uptime(id, Optional.ofNullable(operatorId), days == null ? 7 : days);
    }

    // --- GPUs

    @GET
    @Path("/pools/{id}/gpus")
    @Operation(summary = "The pool's GPUs and their lifecycle status")
    public List<GpuView> gpus(@RestPath @Parameter(description = "The pool's id", example = "1") long id) {
        return pools.gpus(id);
    }

    @POST
    @Path("/pools/{id}/gpus")
    @Authenticated
    @Operation(summary = "Register a GPU to the pool (host name, serial number, UUID); refused (409) while the UUID is in a pool, "
            + "certified for another operator, or has a live GPU NFT")
    public Response registerGpu(@RestPath @Parameter(description = "The pool's id", example = "1") long id, @NotNull NewGpu request) {
        return Response.status(201).entity(pools.registerGpu(accounts.currentCaller(), id,
                new GpuRegistration(request.operatorId(), request.hostName(), request.serialNumber(), request.uuid()))).build();
    }

    @GET
    @Path("/gpus/{id}")
    @Operation(summary = "A GPU with its lifecycle history")
    public GpuDetail gpu(@RestPath @Parameter(description = "The GPU's id (its NFT's token id)", example = "1") long id) {
        return new GpuDetail(pools.gpu(id).orElseThrow(() -> DomainException.notFound("There is no GPU " + id)), pools.history(id));
    }

    @GET
    @Path("/gpus/{id}/spot-checks")
    @Authenticated
    @Operation(summary = "The GPU's latest spot checks (proof of GPU), newest first: PASSED, FAILED (late, wrong or no answer: "
            + "the clock hour it started in earns no pool share and counts as a failure in reputation) or OPEN; for the GPU's "
            + "operator, its pool's operator and admins")
    public List<SpotCheck> spotChecks(@RestPath @Parameter(description = "The GPU's id (its NFT's token id)", example = "1") long id,
                                      @QueryParam("limit") @Parameter(description = "How many, 1 to " + Pools.MAX_SPOT_CHECKS + " (10 by default)",
                                              schema = @Schema(minimum = "1", maximum = "" + Pools.MAX_SPOT_CHECKS), example = "10")
                                      Integer limit) {
        if (limit != null && (limit < 1 || limit > Pools.MAX_SPOT_CHECKS)) {
            throw DomainException.invalid("limit: 1 to " + Pools.MAX_SPOT_CHECKS);
        }
        return pools.spotChecks(accounts.currentCaller(), id, limit == null ? 10 : limit);
    }

    @GET
    @Path("/gpus/mine")
    @Authenticated
    @Operation(summary = "The GPUs whose NFTs your wallet holds")
    public List<GpuView> myGpus() {
        return pools.gpusOwnedBy(accounts.currentCaller().address());
    }

    @POST
    @Path("/gpus/{id}/mint")
    @Authenticated
    @Operation(summary = "Mint the GPU NFT (needs a valid certificate of the pool's model); to your wallet or a buyer's")
    public Response mint(@RestPath @Parameter(description = "The GPU's id", example = "1") long id, @NotNull MintJson request) {
        return Response.accepted(pools.mintGpu(accounts.currentCaller(), id, new MintRequest(request.to(), request.purchaseDate(),
                request.inServiceDate(), request.hostingAgreementUrl(), request.ownershipContractUrl()))).build();
    }

    @POST
    @Path("/gpus/{id}/mint/retry")
    @Authenticated
    @Operation(summary = "Ask again for a GPU NFT mint the chain refused (see mintError), as a new chain request; "
            + "the recipient may be corrected")
    public Response retryMint(@RestPath @Parameter(description = "The GPU's id", example = "1") long id, MintRetryJson request) {
        return Response.accepted(pools.retryMint(accounts.currentCaller(), id, request == null ? null : request.to())).build();
    }

    @POST
    @Path("/gpus/{id}/leave")
    @Authenticated
    @Operation(summary = "Take a GPU out of its pool (after the notice period once it is in service)")
    public GpuView leave(@RestPath @Parameter(description = "The GPU's id", example = "1") long id, Reason request) {
        return pools.leave(accounts.currentCaller(), id, request == null ? null : request.reason());
    }

    // --- members

    @GET
    @Path("/pools/{id}/members")
    @Operation(summary = "Members and requests of a distributed pool, with their uptime")
    public List<MemberView> members(@RestPath @Parameter(description = "The pool's id", example = "1") long id) {
        return pools.members(id);
    }

    @POST
    @Path("/pools/{id}/members")
    @Authenticated
    @Operation(summary = "Ask to join a distributed pool with one of your operators")
    public Response join(@RestPath @Parameter(description = "The pool's id", example = "1") long id, @Valid @NotNull JoinRequest request) {
        return Response.status(201).entity(pools.requestToJoin(accounts.currentCaller(), id, request.operatorId(), request.message())).build();
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/approve")
    @Authenticated
    @Operation(summary = "Approve a request to join your pool")
    public MemberView approve(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                              @RestPath @Parameter(description = "The member's operator id", example = "2") long operatorId) {
        return pools.approve(accounts.currentCaller(), id, operatorId);
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/refuse")
    @Authenticated
    @Operation(summary = "Refuse a request to join your pool")
    public MemberView refuse(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                             @RestPath @Parameter(description = "The member's operator id", example = "2") long operatorId, Reason request) {
        return pools.refuse(accounts.currentCaller(), id, operatorId, request == null ? null : request.reason());
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/kick")
    @Authenticated
    @Operation(summary = "Remove a member (a reason is required and kept in the audit log)")
    public MemberView kick(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                           @RestPath @Parameter(description = "The member's operator id", example = "2") long operatorId, Reason request) {
        return pools.kick(accounts.currentCaller(), id, operatorId, request == null ? null : request.reason());
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/leave")
    @Authenticated
    @Operation(summary = "Leave a distributed pool you are a member of (after the notice period in force when you ask)")
    public MemberView leavePool(@RestPath @Parameter(description = "The pool's id", example = "1") long id,
                                @RestPath @Parameter(description = "Your operator id", example = "2") long operatorId) {
        return pools.leavePool(accounts.currentCaller(), id, operatorId);
    }

    @GET
    @Path("/pools/{id}/audit")
    @Operation(summary = "Every change of the pool's membership: what, why, by whom")
    public List<AuditView> audit(@RestPath @Parameter(description = "The pool's id", example = "1") long id) {
        return pools.audit(id);
    }

    // --- mapping

    /** The domain values of a request, each part bounded before it is parsed ({@link PoolSpecs}). */
    static PoolSpec spec(PoolRequest request) {
        Prices prices = request.prices() == null ? null : PoolSpecs.prices(request.prices().spotUsdPerHour(),
                request.prices().onDemandUsdPerHour(), request.prices().reserved() == null ? null : request.prices().reserved().stream()
                        .map(r -> r == null ? null : new PoolSpecs.Term(r.termDays(), r.usdPerHour())).toList());
        RewardShares shares = request.shares() == null ? null
                : PoolSpecs.shares(request.shares().operatorBps(), request.shares().poolBps(), request.shares().usedGpuBps());
        MemberPolicy policy = request.policy() == null ? null : PoolSpecs.policy(request.policy().minUptimePercent(),
                request.policy().windowHours(), request.policy().maxFailures(), request.policy().warningGraceHours());
        Duration notice = request.noticePeriodHours() == null ? null : PoolSpecs.hours("noticePeriodHours", request.noticePeriodHours());
        return new PoolSpec(request.operatorId() == null ? 0 : request.operatorId(), request.name(), request.mode(),
                request.modelId(), request.region(), prices, shares, notice, policy);
    }

    static PoolJson json(PoolView pool) {
        Prices prices = pool.prices();
        PoolView.PendingTerms terms = pool.pendingTerms();
        return new PoolJson(pool.id(), pool.name(), pool.operator(), pool.mode(), pool.modelId(), pool.modelName(), pool.region(),
                PriceJson.of(prices.spotDcPerHour()), PriceJson.of(prices.onDemandDcPerHour()),
                prices.reserved().stream().map(r -> new ReservedJson(r.termDays(), r.usdPerHour(), r.dcPerHour())).toList(),
                pool.shares(),
                pool.pendingShares() == null ? null
                        : new PendingJson(pool.pendingShares().shares(), pool.pendingShares().fromEpoch(), pool.pendingShares().from()),
                pool.noticePeriod().toHours(), json(pool.policy()),
                pool.size(), pool.reputation(),
                terms == null ? null : new PendingTermsJson(terms.noticePeriod() == null ? null : terms.noticePeriod().toHours(),
                        terms.policy() == null ? null : json(terms.policy()), terms.fromEpoch(), terms.from()));
    }

    private static PolicyJson json(MemberPolicy policy) {
        return new PolicyJson(BigDecimal.valueOf(policy.minUptimeBps(), 2).toPlainString(), policy.window().toHours(),
                policy.maxFailures(), policy.warningGrace().toHours());
    }
}
