package pools;

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
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;

/** Operators, pools, their GPUs and members, as JSON. */
@Path("/api")
@Tag(name = "Pools")
public class PoolsResource {

    public record NewOperator(@NotNull String name) {
    }

    public record PriceJson(String usdPerHour, long dcPerHour) {
        static PriceJson of(long dc) {
            return new PriceJson(Usd.fromDataCredits(dc), dc);
        }
    }

    public record ReservedJson(Integer termDays, String usdPerHour, Long dcPerHour) {
    }

    public record PricesJson(String spotUsdPerHour, String onDemandUsdPerHour, List<ReservedJson> reserved) {
    }

    public record SharesJson(Integer operatorBps, Integer poolBps, Integer usedGpuBps) {
    }

    public record PolicyJson(String minUptimePercent, Long windowHours, Integer maxFailures, Long warningGraceHours) {
    }

    /** A pool as an operator writes it; on edit, fields left out stay as they are. */
    public record PoolRequest(Long operatorId, String name, PoolMode mode, String modelId, String region,
                              PricesJson prices, SharesJson shares, Long noticePeriodHours, PolicyJson policy) {
    }

    public record PoolJson(long id, String name, OperatorView operator, PoolMode mode, String modelId, String modelName,
                           String region, PriceJson spot, PriceJson onDemand, List<ReservedJson> reserved, RewardShares shares,
                           PendingJson pendingShares, long noticePeriodHours, PolicyJson policy, PoolView.Size size,
                           Reputation reputation) {
    }

    public record PendingJson(RewardShares shares, long fromEpoch, Instant from) {
    }

    public record NewGpu(Long operatorId, String hostName, String serialNumber, String uuid) {
    }

    public record MintJson(String to, LocalDate purchaseDate, LocalDate inServiceDate, String hostingAgreementUrl,
                           String ownershipContractUrl) {
    }

    public record Reason(String reason) {
    }

    public record JoinRequest(@NotNull Long operatorId, String message) {
    }

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
    @Operation(summary = "One pool")
    public PoolJson pool(@RestPath long id) {
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
        return Response.status(201).entity(json(pools.createPool(accounts.currentCaller(), spec(request)))).build();
    }

    @PUT
    @Path("/pools/{id}")
    @Authenticated
    @Operation(summary = "Edit your pool; new reward shares are announced and apply from a future epoch")
    public PoolJson updatePool(@RestPath long id, @NotNull PoolRequest request) {
        return json(pools.updatePool(accounts.currentCaller(), id, spec(request)));
    }

    @GET
    @Path("/pools/{id}/uptime")
    @Operation(summary = "Hourly uptime of the pool's GPUs in service (or one operator's), for charts")
    public List<Pools.UptimePoint> uptime(@RestPath long id, @QueryParam("days") Integer days, @QueryParam("operatorId") Long operatorId) {
        return pools.uptime(id, Optional.ofNullable(operatorId), days == null ? 7 : days);
    }

    // --- GPUs

    @GET
    @Path("/pools/{id}/gpus")
    @Operation(summary = "The pool's GPUs and their lifecycle status")
    public List<GpuView> gpus(@RestPath long id) {
        return pools.gpus(id);
    }

    @POST
    @Path("/pools/{id}/gpus")
    @Authenticated
    @Operation(summary = "Register a GPU to the pool (host name, serial number, UUID)")
    public Response registerGpu(@RestPath long id, @NotNull NewGpu request) {
        return Response.status(201).entity(pools.registerGpu(accounts.currentCaller(), id,
                new GpuRegistration(request.operatorId(), request.hostName(), request.serialNumber(), request.uuid()))).build();
    }

    @GET
    @Path("/gpus/{id}")
    @Operation(summary = "A GPU with its lifecycle history")
    public GpuDetail gpu(@RestPath long id) {
        return new GpuDetail(pools.gpu(id).orElseThrow(() -> DomainException.notFound("There is no GPU " + id)), pools.history(id));
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
    public Response mint(@RestPath long id, @NotNull MintJson request) {
        return Response.accepted(pools.mintGpu(accounts.currentCaller(), id, new MintRequest(request.to(), request.purchaseDate(),
                request.inServiceDate(), request.hostingAgreementUrl(), request.ownershipContractUrl()))).build();
    }

    @POST
    @Path("/gpus/{id}/leave")
    @Authenticated
    @Operation(summary = "Take a GPU out of its pool (after the notice period once it is in service)")
    public GpuView leave(@RestPath long id, Reason request) {
        return pools.leave(accounts.currentCaller(), id, request == null ? null : request.reason());
    }

    // --- members

    @GET
    @Path("/pools/{id}/members")
    @Operation(summary = "Members and requests of a distributed pool, with their uptime")
    public List<MemberView> members(@RestPath long id) {
        return pools.members(id);
    }

    @POST
    @Path("/pools/{id}/members")
    @Authenticated
    @Operation(summary = "Ask to join a distributed pool with one of your operators")
    public Response join(@RestPath long id, @Valid @NotNull JoinRequest request) {
        return Response.status(201).entity(pools.requestToJoin(accounts.currentCaller(), id, request.operatorId(), request.message())).build();
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/approve")
    @Authenticated
    @Operation(summary = "Approve a request to join your pool")
    public MemberView approve(@RestPath long id, @RestPath long operatorId) {
        return pools.approve(accounts.currentCaller(), id, operatorId);
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/refuse")
    @Authenticated
    @Operation(summary = "Refuse a request to join your pool")
    public MemberView refuse(@RestPath long id, @RestPath long operatorId, Reason request) {
        return pools.refuse(accounts.currentCaller(), id, operatorId, request == null ? null : request.reason());
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/kick")
    @Authenticated
    @Operation(summary = "Remove a member (a reason is required and kept in the audit log)")
    public MemberView kick(@RestPath long id, @RestPath long operatorId, Reason request) {
        return pools.kick(accounts.currentCaller(), id, operatorId, request == null ? null : request.reason());
    }

    @POST
    @Path("/pools/{id}/members/{operatorId}/leave")
    @Authenticated
    @Operation(summary = "Leave a distributed pool you are a member of (after the notice period)")
    public MemberView leavePool(@RestPath long id, @RestPath long operatorId) {
        return pools.leavePool(accounts.currentCaller(), id, operatorId);
    }

    @GET
    @Path("/pools/{id}/audit")
    @Operation(summary = "Every change of the pool's membership: what, why, by whom")
    public List<AuditView> audit(@RestPath long id) {
        return pools.audit(id);
    }

    // --- mapping

    static PoolSpec spec(PoolRequest request) {
        Prices prices = request.prices() == null ? null : new Prices(
                Usd.toDataCredits("prices.spotUsdPerHour", request.prices().spotUsdPerHour()),
                Usd.toDataCredits("prices.onDemandUsdPerHour", request.prices().onDemandUsdPerHour()),
                request.prices().reserved() == null ? List.of() : request.prices().reserved().stream()
                        .map(r -> new Prices.ReservedPrice(r.termDays() == null ? 0 : r.termDays(),
                                Usd.toDataCredits("prices.reserved.usdPerHour", r.usdPerHour())))
                        .toList());
        RewardShares shares = request.shares() == null ? null : new RewardShares(
                required(request.shares().operatorBps(), "shares.operatorBps"),
                required(request.shares().poolBps(), "shares.poolBps"),
                required(request.shares().usedGpuBps(), "shares.usedGpuBps"));
        MemberPolicy policy = request.policy() == null ? null : new MemberPolicy(
                percentToBps(request.policy().minUptimePercent()),
                Duration.ofHours(required(request.policy().windowHours(), "policy.windowHours")),
                required(request.policy().maxFailures(), "policy.maxFailures"),
                Duration.ofHours(required(request.policy().warningGraceHours(), "policy.warningGraceHours")));
        Duration notice = request.noticePeriodHours() == null ? null : Duration.ofHours(request.noticePeriodHours());
        return new PoolSpec(request.operatorId() == null ? 0 : request.operatorId(), request.name(), request.mode(),
                request.modelId(), request.region(), prices, shares, notice, policy);
    }

    static PoolJson json(PoolView pool) {
        Prices prices = pool.prices();
        MemberPolicy policy = pool.policy();
        return new PoolJson(pool.id(), pool.name(), pool.operator(), pool.mode(), pool.modelId(), pool.modelName(), pool.region(),
                PriceJson.of(prices.spotDcPerHour()), PriceJson.of(prices.onDemandDcPerHour()),
                prices.reserved().stream().map(r -> new ReservedJson(r.termDays(), r.usdPerHour(), r.dcPerHour())).toList(),
                pool.shares(),
                pool.pendingShares() == null ? null
                        : new PendingJson(pool.pendingShares().shares(), pool.pendingShares().fromEpoch(), pool.pendingShares().from()),
                pool.noticePeriod().toHours(),
                new PolicyJson(BigDecimal.valueOf(policy.minUptimeBps(), 2).toPlainString(), policy.window().toHours(),
                        policy.maxFailures(), policy.warningGrace().toHours()),
                pool.size(), pool.reputation());
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw DomainException.invalid(field + ": required");
        }
        return value;
    }

    private static int percentToBps(String percent) {
        try {
            return new BigDecimal(required(percent, "policy.minUptimePercent").trim()).movePointRight(2).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw DomainException.invalid("policy.minUptimePercent: a percentage such as 95 or 99.5");
        }
    }
}
