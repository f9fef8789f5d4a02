package pools.web;

import accounts.Accounts;
import accounts.Caller;
import chain.Chain;
import chain.ContractName;
import gpu.Certification;
import gpu.GpuModel;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestPath;
import platform.DomainException;
import pools.AuditView;
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
import pools.RewardShares;
import pools.SpotCheck;
import pools.Usd;

/**
 * The pools pages: the public list and pool pages, the operator's admin pages (pools, GPUs,
 * members, uptime) and the owner's page of GPU NFTs. Forms post here (with their CSRF token) and
 * come back to the page they were sent from, with the refusal's message when one was refused.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class PoolPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance pools(List<PoolView> pools);

        static native TemplateInstance pool(PoolView pool, String chart, boolean manages, List<OperatorView> myOperators, String error);

        static native TemplateInstance operator(List<OperatorView> operators, List<PoolView> pools, List<GpuModel> models, String error);

        static native TemplateInstance manage(PoolView pool, List<GpuView> gpus, Map<Long, List<SpotCheck>> spotChecks,
                                              List<MemberView> members, List<AuditView> audit, String chart, List<OperatorView> myOperators,
                                              String error, String gpuContract);

        static native TemplateInstance owner(List<GpuView> gpus, String gpuContract);
    }

    private final Pools pools;
    private final Accounts accounts;
    private final Certification certification;
    private final Chain chain;

    PoolPages(Pools pools, Accounts accounts, Certification certification, Chain chain) {
        this.pools = pools;
        this.accounts = accounts;
        this.certification = certification;
        this.chain = chain;
    }

    @GET
    @Path("pools")
    @Operation(hidden = true)
    public TemplateInstance list() {
        return Templates.pools(pools.publicPools());
    }

    @GET
    @Path("pools/{id}")
    @Operation(hidden = true)
    public TemplateInstance pool(@RestPath long id, @QueryParam("error") String error) {
        PoolView pool = pools.pool(id).orElseThrow(() -> DomainException.notFound("There is no pool " + id));
        Optional<Caller> caller = accounts.currentCallerIfSignedIn();
        boolean manages = caller.map(c -> c.address().value().equals(pool.operator().wallet())).orElse(false);
        List<OperatorView> mine = caller.map(c -> pools.operatorsOf(c.address())).orElse(List.of());
        return Templates.pool(pool, UptimeChart.svg(pools.uptime(id, Optional.empty(), 7)), manages, mine, error);
    }

    @GET
    @Path("operator")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance operator(@QueryParam("error") String error) {
        Caller caller = accounts.currentCaller();
        return Templates.operator(pools.operatorsOf(caller.address()), pools.poolsOf(caller.address()), certification.models(), error);
    }

    @POST
    @Path("operator")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response becomeOperator(@RestForm String name) {
        return act("/operator", () -> pools.becomeOperator(accounts.currentCaller(), name));
    }

    @POST
    @Path("operator/pools")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response createPool(@RestForm Long operatorId, @RestForm String name, @RestForm String mode, @RestForm String modelId,
                               @RestForm String region, @RestForm String spotUsdPerHour, @RestForm String onDemandUsdPerHour,
                               @RestForm String reserved, @RestForm Integer operatorBps, @RestForm Integer poolBps,
                               @RestForm Integer usedGpuBps, @RestForm Long noticePeriodHours, @RestForm String minUptimePercent,
                               @RestForm Long windowHours, @RestForm Integer maxFailures, @RestForm Long warningGraceHours) {
        try {
            if (operatorId == null) {
                throw DomainException.invalid("operatorId: choose the operator that runs the pool");
            }
            PoolView pool = pools.createPool(accounts.currentCaller(), operatorId, () -> spec(operatorId, name, mode(mode), modelId, region,
                    spotUsdPerHour, onDemandUsdPerHour, reserved, operatorBps, poolBps, usedGpuBps, noticePeriodHours,
                    minUptimePercent, windowHours, maxFailures, warningGraceHours));
            return Response.seeOther(URI.create("/operator/pools/" + pool.id())).build();
        } catch (DomainException e) {
            return back("/operator", e);
        }
    }

    @GET
    @Path("operator/pools/{id}")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance manage(@RestPath long id, @QueryParam("error") String error) {
        Caller caller = accounts.currentCaller();
        PoolView pool = pools.pool(id).orElseThrow(() -> DomainException.notFound("There is no pool " + id));
        List<OperatorView> mine = pools.operatorsOf(caller.address());
        boolean runs = mine.stream().anyMatch(o -> o.id() == pool.operator().id());
        List<MemberView> members = pools.members(id);
        boolean member = members.stream().anyMatch(m -> m.wallet().equals(caller.address().value()));
        if (!runs && !member) {
            throw DomainException.forbidden("Only the pool's operator and its members manage pool " + id);
        }
        return Templates.manage(pool, pools.gpus(id), pools.spotChecksOfPool(caller, id), members, pools.audit(id),
                UptimeChart.svg(pools.uptime(id, Optional.empty(), 7)), mine, error, chain.contractAddress(ContractName.GpuNFT).orElse(""));
    }

    @POST
    @Path("operator/pools/{id}")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response updatePool(@RestPath long id, @RestForm String name, @RestForm String region, @RestForm String spotUsdPerHour,
                               @RestForm String onDemandUsdPerHour, @RestForm String reserved, @RestForm Integer operatorBps,
                               @RestForm Integer poolBps, @RestForm Integer usedGpuBps, @RestForm Long noticePeriodHours,
                               @RestForm String minUptimePercent, @RestForm Long windowHours, @RestForm Integer maxFailures,
                               @RestForm Long warningGraceHours) {
        return act("/operator/pools/" + id, () -> pools.updatePool(accounts.currentCaller(), id, () -> spec(0, name, null, null, region,
                spotUsdPerHour, onDemandUsdPerHour, reserved, operatorBps, poolBps, usedGpuBps, noticePeriodHours,
                minUptimePercent, windowHours, maxFailures, warningGraceHours)));
    }

    @POST
    @Path("operator/pools/{id}/gpus")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response registerGpu(@RestPath long id, @RestForm Long operatorId, @RestForm String hostName,
                                @RestForm String serialNumber, @RestForm String uuid) {
        return act("/operator/pools/" + id, () -> pools.registerGpu(accounts.currentCaller(), id,
                new GpuRegistration(operatorId, hostName, serialNumber, uuid)));
    }

    @POST
    @Path("operator/gpus/{gpuId}/mint")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response mint(@RestPath long gpuId, @RestForm String to, @RestForm String purchaseDate, @RestForm String inServiceDate,
                         @RestForm String hostingAgreementUrl, @RestForm String ownershipContractUrl) {
        String back = "/operator/pools/" + pools.gpu(gpuId).map(GpuView::poolId).orElse(0L);
        return act(back, () -> pools.mintGpu(accounts.currentCaller(), gpuId,
                new MintRequest(to, date("purchaseDate", purchaseDate), date("inServiceDate", inServiceDate),
                        hostingAgreementUrl, ownershipContractUrl)));
    }

    @POST
    @Path("operator/gpus/{gpuId}/mint/retry")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response retryMint(@RestPath long gpuId, @RestForm String to) {
        String back = "/operator/pools/" + pools.gpu(gpuId).map(GpuView::poolId).orElse(0L);
        return act(back, () -> pools.retryMint(accounts.currentCaller(), gpuId, to));
    }

    @POST
    @Path("operator/gpus/{gpuId}/leave")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response leave(@RestPath long gpuId, @RestForm String reason) {
        String back = "/operator/pools/" + pools.gpu(gpuId).map(GpuView::poolId).orElse(0L);
        return act(back, () -> pools.leave(accounts.currentCaller(), gpuId, reason));
    }

    @POST
    @Path("operator/pools/{id}/members")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response join(@RestPath long id, @RestForm Long operatorId, @RestForm String message) {
        return act("/pools/" + id, () -> pools.requestToJoin(accounts.currentCaller(), id,
                operatorId == null ? 0 : operatorId, message));
    }

    @POST
    @Path("operator/pools/{id}/members/{operatorId}/{action}")
    @Authenticated
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response member(@RestPath long id, @RestPath long operatorId, @RestPath String action, @RestForm String reason) {
        Caller caller = accounts.currentCaller();
        return act("/operator/pools/" + id, () -> switch (action) {
            case "approve" -> pools.approve(caller, id, operatorId);
            case "refuse" -> pools.refuse(caller, id, operatorId, reason);
            case "kick" -> pools.kick(caller, id, operatorId, reason);
            case "leave" -> pools.leavePool(caller, id, operatorId);
            default -> throw DomainException.notFound("No such action: " + action);
        });
    }

    @GET
    @Path("my/gpus")
    @Authenticated
    @Operation(hidden = true)
    public TemplateInstance owner() {
        return Templates.owner(pools.gpusOwnedBy(accounts.currentCaller().address()),
                chain.contractAddress(ContractName.GpuNFT).orElse(""));
    }

    private static Response act(String page, Supplier<?> action) {
        try {
            action.get();
            return Response.seeOther(URI.create(page)).build();
        } catch (DomainException e) {
            return back(page, e);
        }
    }

    private static Response back(String page, DomainException e) {
        return Response.seeOther(URI.create(page + "?error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8))).build();
    }

    /** The form's fields as a spec, parsed in the order the API parses them ({@link PoolSpecs}). */
    private static PoolSpec spec(long operatorId, String name, PoolMode mode, String modelId, String region, String spotUsdPerHour,
                                 String onDemandUsdPerHour, String reserved, Integer operatorBps, Integer poolBps, Integer usedGpuBps,
                                 Long noticePeriodHours, String minUptimePercent, Long windowHours, Integer maxFailures,
                                 Long warningGraceHours) {
        Prices prices = PoolSpecs.prices(spotUsdPerHour, onDemandUsdPerHour, reserved(reserved));
        RewardShares shares = PoolSpecs.shares(operatorBps, poolBps, usedGpuBps);
        MemberPolicy policy = PoolSpecs.policy(minUptimePercent, windowHours, maxFailures, warningGraceHours);
        Duration notice = noticePeriodHours == null ? null : PoolSpecs.hours("noticePeriodHours", noticePeriodHours);
        return new PoolSpec(operatorId, name, mode, modelId, region, prices, shares, notice, policy);
    }

    private static PoolMode mode(String mode) {
        try {
            return mode == null ? null : PoolMode.valueOf(mode);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid("mode: SELF, SINGLE_SOURCE or DISTRIBUTED");
        }
    }

    private static LocalDate date(String field, String value) {
        try {
            return value == null || value.isBlank() ? null : LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw DomainException.invalid(field + ": a date such as 2025-01-31");
        }
    }

    /** "7:1.90, 30:1.80" (days:USD per hour) becomes reserved prices; at most 20 terms in 500 characters. */
    private static List<PoolSpecs.Term> reserved(String terms) {
        if (terms == null || terms.isBlank()) {
            return List.of();
        }
        if (terms.length() > 500) {
            throw DomainException.invalid("reserved: at most " + PoolSpecs.MAX_RESERVED_TERMS + " terms as days:price, in 500 characters");
        }
        return java.util.Arrays.stream(terms.split(",")).map(String::trim).filter(t -> !t.isEmpty()).map(term -> {
            String[] parts = term.split(":");
            if (parts.length != 2) {
                throw DomainException.invalid("reserved: terms as days:price, for example 7:1.90, 30:1.80");
            }
            String days = parts[0].trim();
            if (!days.matches("[0-9]{1,4}")) {
                throw DomainException.invalid("reserved: '" + Usd.abbreviate(days) + "' is not a number of days (1 to 3,650)");
            }
            return new PoolSpecs.Term(Integer.parseInt(days), parts[1].trim());
        }).toList();
    }
}
