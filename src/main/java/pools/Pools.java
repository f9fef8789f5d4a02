package pools;

import accounts.Caller;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import gpu.Certification;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import platform.DomainException;
import platform.Epochs;

/**
 * The pools module's facade: operators (each an operator NFT), pools with their prices and reward
 * shares ({@link PoolEdits}), GPUs from registration to retirement ({@link PoolGpus}), the members
 * of distributed pools ({@link Memberships}), heartbeats and uptime. Each use case is one
 * transaction that delegates and returns records ({@link PoolViews}).
 */
@ApplicationScoped
public class Pools {

    static final String OPERATOR_ROLE_CACHE = "bc-operator-role";
    /** The longest reason kept with a membership change or a GPU's leaving (the history adds a little to it). */
    public static final int MAX_REASON = 400;
    /** The most GPUs one heartbeat names (a host with more sends several). */
    public static final int MAX_HEARTBEAT_GPUS = Heartbeats.MAX_GPUS;

    private final Operators operators;
    private final PoolEdits edits;
    private final PoolGpus gpus;
    private final Memberships memberships;
    private final PoolViews views;
    private final Heartbeats heartbeats;
    private final Uptime uptime;
    private final SpotCheckRule spotCheckRule;
    private final SpotChecks spotChecks;
    private final Chain chain;
    private final Instance<LeaseSource> leaseSources;
    private final WorkloadReports workloadReports;
    private final Epochs epochs;
    private final Certification certification;
    private final Clock clock;

    Pools(Operators operators, PoolEdits edits, PoolGpus gpus, Memberships memberships, PoolViews views, Heartbeats heartbeats,
          Uptime uptime, SpotCheckRule spotCheckRule, SpotChecks spotChecks, Chain chain, Instance<LeaseSource> leaseSources,
          WorkloadReports workloadReports, Epochs epochs, Certification certification, Clock clock) {
        this.operators = operators;
        this.edits = edits;
        this.gpus = gpus;
        this.memberships = memberships;
        this.views = views;
        this.heartbeats = heartbeats;
        this.uptime = uptime;
        this.spotCheckRule = spotCheckRule;
        this.spotChecks = spotChecks;
        this.chain = chain;
        this.leaseSources = leaseSources;
        this.workloadReports = workloadReports;
        this.epochs = epochs;
        this.certification = certification;
        this.clock = clock;
    }

    // --- operators

    /** Makes the caller a pool operator: an operator NFT is minted to their wallet. */
    @Transactional
    @CacheInvalidateAll(cacheName = OPERATOR_ROLE_CACHE)
    public OperatorView becomeOperator(Caller caller, String name) {
        return views.operator(operators.become(caller, name));
    }

    @Transactional
    public List<OperatorView> operatorsOf(WalletAddress wallet) {
        return operators.of(wallet).stream().map(views::operator).toList();
    }

    /** Whether {@code wallet} has an operator's rights; cached for seconds (a transfer of the NFT shows within the expiry). */
    @Transactional
    @CacheResult(cacheName = OPERATOR_ROLE_CACHE)
    public boolean isOperator(WalletAddress wallet) {
        return !operators.of(wallet).isEmpty();
    }

    // --- pools

    @Transactional
    public PoolView createPool(Caller caller, PoolSpec spec) {
        return createPool(caller, spec.operatorId(), () -> spec);
    }

    /**
     * Creates a pool for operator {@code operatorId}. The spec is parsed only once the caller is
     * known to have that operator's rights: a stranger's request costs no parsing.
     */
    @Transactional
    public PoolView createPool(Caller caller, long operatorId, Supplier<PoolSpec> parse) {
        return views.pool(edits.create(caller, operatorId, parse));
    }

    @Transactional
    public PoolView updatePool(Caller caller, long poolId, PoolSpec spec) {
        return updatePool(caller, poolId, () -> spec);
    }

    /**
     * Edits a pool. Name, region and prices change at once, and so do a shorter notice period and
     * a policy that is nowhere stricter; new reward shares, a longer notice period and a stricter
     * policy bind others, so they are announced and apply from the first epoch that starts at
     * least {@code bc.pools.share-change-notice} from now. Mode and model change only while no GPU
     * is registered. The spec is parsed only once the caller is known to run the pool.
     */
    @Transactional
    public PoolView updatePool(Caller caller, long poolId, Supplier<PoolSpec> parse) {
        return views.pool(edits.update(caller, poolId, parse));
    }

    @Transactional
    public Optional<PoolView> pool(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId).map(views::pool);
    }

    /**
     * The prices in force of a pool, or empty if there is no such pool: what the market prices an
     * order with. One row, where {@link #pool} also counts the pool's GPUs and measures its reputation.
     */
    @Transactional
    public Optional<Prices> prices(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId).map(PoolEntity::prices);
    }

    /** Every pool, newest first: the public list. */
    @Transactional
    public List<PoolView> publicPools() {
        return PoolEntity.<PoolEntity>list("order by id desc").stream().map(views::pool).toList();
    }

    /** The pools of the operators whose rights {@code wallet} has. */
    @Transactional
    public List<PoolView> poolsOf(WalletAddress wallet) {
        List<Long> ids = operators.of(wallet).stream().map(o -> o.id).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return PoolEntity.<PoolEntity>list("operatorId in ?1 order by id desc", ids).stream().map(views::pool).toList();
    }

    // --- GPUs

    /** Registers a GPU to a pool, for the pool's operator or (in a distributed pool) an active member. */
    @Transactional
    public GpuView registerGpu(Caller caller, long poolId, GpuRegistration registration) {
        return views.gpu(gpus.register(caller, poolId, registration));
    }

    /**
     * Demo mode only (market.DemoNetwork): registers a GPU of the demo network with a demo certificate
     * of the pool's model that the gpu module issues to the caller first (refused, 403, when demo
     * mode is off). Then it is registered and certified as any GPU, and minted by {@link #mintGpu}.
     */
    @Transactional
    public GpuView registerDemoGpu(Caller caller, long poolId, GpuRegistration registration) {
        PoolEntity pool = PoolEntity.<PoolEntity>findByIdOptional(poolId)
                .orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
        certification.issueDemoCertificate(caller.address(), registration.uuid(), pool.modelId);
        return registerGpu(caller, poolId, registration);
    }

    /**
     * Mints the GPU's NFT through the chain outbox. Refused (422, with the reason) unless the gpu
     * module holds a valid certificate for this GPU's UUID, of the pool's model, issued to the
     * GPU's operator.
     */
    @Transactional
    public GpuView mintGpu(Caller caller, long gpuId, MintRequest request) {
        return views.gpu(gpus.mint(caller, gpuId, request));
    }

    /**
     * Asks again for a mint the chain refused ({@link GpuView#mintError}): the same NFT, as a new
     * effect under a new outbox key, to {@code to} when given (a corrected recipient) or to the
     * previous request's recipient.
     */
    @Transactional
    public GpuView retryMint(Caller caller, long gpuId, String to) {
        return views.gpu(gpus.retryMint(caller, gpuId, to));
    }

    /**
     * Takes a GPU out of its pool. A GPU not yet minted is retired at once; one in service leaves
     * after the pool's notice period, unless it backs a commitment it cannot be freed from (409).
     */
    @Transactional
    public GpuView leave(Caller caller, long gpuId, String reason) {
        return views.gpu(gpus.leave(caller, gpuId, reason));
    }

    /** The pool's GPUs as they are: a read changes nothing (the status job follows certificates). */
    @Transactional
    public List<GpuView> gpus(long poolId) {
        PoolEntity.existing(poolId);
        return GpuEntity.<GpuEntity>list("poolId = ?1 order by id", poolId).stream().map(views::gpu).toList();
    }

    @Transactional
    public Optional<GpuView> gpu(long gpuId) {
        return GpuEntity.<GpuEntity>findByIdOptional(gpuId).map(views::gpu);
    }

    /**
     * A GPU in service as the market allocates it: its id, UUID, status, and when it leaves its pool
     * (null unless it is LEAVING).
     */
    public record ServiceGpu(long id, String uuid, GpuStatus status, Instant leavesAt) {
    }

    /**
     * The GPUs in service of a pool ({@link GpuStatus#IN_SERVICE}), by id: what the market allocates
     * from. One query of rows, no entities, so that an order on a pool of 1,000 GPUs stays cheap.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ServiceGpu> gpusInService(long poolId) {
        List<Object[]> rows = GpuEntity.getEntityManager().createNativeQuery(
                        "select id, gpu_uuid, status, leaves_at from pools_gpu where pool_id = ?1 and status in ?2 order by id")
                .setParameter(1, poolId).setParameter(2, GpuStatus.IN_SERVICE.stream().map(Enum::name).toList()).getResultList();
        return serviceGpus(rows);
    }

    /**
     * Up to {@code limit} GPUs in service of a pool, at random, for an order that needs a few GPUs of
     * a large pool: none in {@code excluded}, none that leaves the pool before {@code until}, and
     * those in {@code lastResort} only once no other is left. The database picks them, so that the
     * market does not read every GPU of the pool for each order.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<ServiceGpu> someGpusInService(long poolId, Instant until, Collection<Long> excluded, Collection<Long> lastResort,
                                              int limit) {
        List<Object[]> rows = GpuEntity.getEntityManager().createNativeQuery("""
                        select id, gpu_uuid, status, leaves_at from pools_gpu
                        where pool_id = ?1 and status in ?2 and id <> all(?3) and (leaves_at is null or leaves_at >= ?4)
                        order by id = any(?5), random() limit ?6""")
                .setParameter(1, poolId).setParameter(2, GpuStatus.IN_SERVICE.stream().map(Enum::name).toList())
                .setParameter(3, excluded.toArray(Long[]::new)).setParameter(4, Objects.requireNonNull(until, "until"))
                .setParameter(5, lastResort.toArray(Long[]::new)).setParameter(6, limit).getResultList();
        return serviceGpus(rows);
    }

    private static List<ServiceGpu> serviceGpus(List<Object[]> rows) {
        return rows.stream().map(r -> new ServiceGpu(((Number) r[0]).longValue(), (String) r[1], GpuStatus.valueOf((String) r[2]),
                r[3] == null ? null : r[3] instanceof java.time.OffsetDateTime o ? o.toInstant() : (Instant) r[3])).toList();
    }

    /** The GPUs whose NFTs {@code wallet} holds. */
    @Transactional
    public List<GpuView> gpusOwnedBy(WalletAddress wallet) {
        List<Long> ids = chain.tokensOf(AssetKind.GPU, wallet.value()).stream().map(t -> t.tokenId().longValueExact()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return GpuEntity.<GpuEntity>list("id in ?1 order by id", ids).stream().map(views::gpu).toList();
    }

    /** The most spot checks {@link #spotChecks} gives per GPU. */
    public static final int MAX_SPOT_CHECKS = 100;

    /**
     * The GPU's latest spot checks (proof of GPU), newest first, at most {@code limit} (1 to
     * {@link #MAX_SPOT_CHECKS}): for the GPU's operator, its pool's operator and admins (403 for
     * others, 404 for no such GPU). A failed one names the hour that earns no pool share.
     */
    @Transactional
    public List<SpotCheck> spotChecks(Caller caller, long gpuId, int limit) {
        return spotChecks.of(caller, gpuId, Math.max(1, Math.min(MAX_SPOT_CHECKS, limit)));
    }

    /** The latest few spot checks of each GPU of the pool whose checks the caller may see ({@link #spotChecks}), by GPU id. */
    @Transactional
    public Map<Long, List<SpotCheck>> spotChecksOfPool(Caller caller, long poolId) {
        return spotChecks.ofPool(caller, poolId);
    }

    @Transactional
    public List<GpuEvent> history(long gpuId) {
        return GpuEventEntity.<GpuEventEntity>list("gpuId = ?1 order by at, id", gpuId).stream().map(views::event).toList();
    }

    // --- heartbeats, uptime and leases

    /** One heartbeat from a node agent for the GPUs it names by UUID; those that are not the caller's GPUs in service come back as unknown. */
    public HeartbeatReceipt heartbeat(Caller caller, List<String> gpuUuids) {
        return heartbeat(caller, gpuUuids, List.of());
    }

    /**
     * A heartbeat with the agent's reports of its workloads. A report counts only for the GPUs that
     * the heartbeat counted and that the lease feed gives its lease now; the others come back as
     * refused. Reports are written within {@code bc.pools.heartbeat-flush-interval}.
     */
    public HeartbeatReceipt heartbeat(Caller caller, List<String> gpuUuids, List<WorkloadReport> reports) {
        Heartbeats.Accepted accepted = heartbeats.accept(caller, gpuUuids);
        if (reports.isEmpty()) {
            return accepted.receipt();
        }
        return accepted.receipt().withRefusedReports(workloadReports.accept(reports, accepted.gpus(), accepted.receipt().serverTime()));
    }

    /**
     * The latest written report of each of these leases' workloads, one per lease and GPU reported
     * (a lease no agent reported on is absent), ordered by lease id and GPU id.
     */
    public List<WorkloadStatus> workloads(Collection<String> leaseIds) {
        return leaseIds.isEmpty() ? List.of() : workloadReports.latest(leaseIds);
    }

    /**
     * The minutes in [from, to) in which the node agent reported the lease's workload RUNNING, per
     * GPU of the lease (in GPU id order; a GPU with none is absent): what the market charges. A minute
     * is written within {@code bc.pools.heartbeat-flush-interval} of its report, so a minute is
     * complete once that much time has passed after its end.
     */
    public List<RunningMinutes> runningMinutes(String leaseId, Instant from, Instant to) {
        return from.isBefore(to) ? workloadReports.running(leaseId, from, to) : List.of();
    }

    /**
     * For each of these GPUs, the minutes in [from, to) (each by its start) in which a heartbeat
     * from it arrived (what the market counts as a reservation's served minutes; a GPU with none is
     * absent). Heartbeats are written within {@code bc.pools.heartbeat-flush-interval}, as workload
     * reports are.
     */
    @Transactional
    public Map<Long, Set<Instant>> onlineMinutes(Collection<Long> gpuIds, Instant from, Instant to) {
        return uptime.onlineMinutes(gpuIds, from, to);
    }

    /** Hourly uptime of a pool's GPUs in service over the last {@code days} days, for its chart. */
    @Transactional
    public List<UptimePoint> uptime(long poolId, Optional<Long> operatorId, int days) {
        Instant to = Instant.ofEpochSecond((Uptime.hourOf(clock.instant()) + 1) * 3600);
        Instant from = to.minus(Duration.ofDays(Math.max(1, Math.min(days, 90))));
        List<Long> ids = GpuEntity.inService(poolId, operatorId);
        return uptime.hourly(ids, from, to).stream().map(p -> new UptimePoint(p.hour(), p.bps())).toList();
    }

    /** One hour of an uptime chart, in basis points. */
    public record UptimePoint(Instant hour, int uptimeBps) {
    }

    /**
     * Online seconds of each GPU of a pool in an epoch: what settlement weighs the pool share by. The
     * hours in which a GPU failed or missed a spot check count none ({@link SpotCheckRule}).
     */
    @Transactional
    public Map<Long, Long> onlineSeconds(long poolId, long epoch) {
        List<Long> ids = GpuEntity.<GpuEntity>list("poolId", poolId).stream().map(g -> g.id).toList();
        Instant from = epochs.startOf(epoch);
        Instant to = epochs.endOf(epoch);
        return spotCheckRule.removeFailedHours(uptime.onlineSeconds(ids, from, to), from, to);
    }

    /**
     * Every pool as the settlement of {@code epoch} reads it: one query for the GPUs (as rows, not
     * entities, so the settlement's later statements do not dirty-check 100,000 of them), one for
     * the uptime of all of them, one for the epoch's failed spot checks (whose hours count no online
     * seconds, {@link SpotCheckRule}; two more when there are some), and one for the reward shares in
     * force during {@code epoch} (a change that applied when the next epoch began is not used for this one).
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<EpochPool> epochPools(long epoch) {
        List<PoolEntity> pools = PoolEntity.<PoolEntity>list("order by id");
        Map<Long, List<Long>> gpusOf = new java.util.HashMap<>();
        for (Object[] row : (List<Object[]>) PoolEntity.getEntityManager()
                .createNativeQuery("select id, pool_id from pools_gpu order by id").getResultList()) {
            long id = ((Number) row[0]).longValue();
            gpusOf.computeIfAbsent(((Number) row[1]).longValue(), p -> new java.util.ArrayList<>()).add(id);
        }
        Instant from = epochs.startOf(epoch);
        Instant to = epochs.endOf(epoch);
        Map<Long, Long> online = spotCheckRule.removeFailedHours(uptime.onlineSecondsOfEvery(from, to), from, to);
        Map<Long, RewardShares> sharesThen = PoolEntity.sharesInForce(epoch);
        List<EpochPool> result = pools.stream().map(pool -> {
            List<Long> ids = gpusOf.getOrDefault(pool.id, List.of());
            Map<Long, Long> seconds = new java.util.HashMap<>();
            ids.forEach(id -> seconds.put(id, online.getOrDefault(id, 0L)));
            return new EpochPool(pool.id, pool.operatorId, pool.sharesIn(epoch, sharesThen), ids, seconds);
        }).toList();
        pools.forEach(PoolEntity.getEntityManager()::detach); // read only: nothing for later statements to flush
        return result;
    }

    /** The node agent's lease feed: what the caller's GPUs in service should run, from every {@link LeaseSource}. */
    @Transactional
    public List<LeaseSource.Lease> leases(Caller caller, Instant now) {
        List<Long> gpuIds = GpuEntity.inServiceOf(operators.of(caller.address()).stream().map(o -> o.id).toList());
        List<LeaseSource.Lease> leases = new ArrayList<>();
        if (!gpuIds.isEmpty()) {
            leaseSources.forEach(source -> leases.addAll(source.leases(gpuIds, now)));
        }
        return leases;
    }

    // --- members of distributed pools

    @Transactional
    public MemberView requestToJoin(Caller caller, long poolId, long operatorId, String message) {
        return views.member(memberships.requestToJoin(caller, poolId, operatorId, message));
    }

    @Transactional
    public MemberView approve(Caller caller, long poolId, long operatorId) {
        return views.member(memberships.approve(caller, poolId, operatorId));
    }

    @Transactional
    public MemberView refuse(Caller caller, long poolId, long operatorId, String reason) {
        return views.member(memberships.refuse(caller, poolId, operatorId, reason));
    }

    /** Removes a member by hand; a reason is required and kept in the audit log. */
    @Transactional
    public MemberView kick(Caller caller, long poolId, long operatorId, String reason) {
        return views.member(memberships.kick(caller, poolId, operatorId, reason));
    }

    /** A member leaves a distributed pool: after the notice period, with all its GPUs there. */
    @Transactional
    public MemberView leavePool(Caller caller, long poolId, long operatorId) {
        return views.member(memberships.leave(caller, poolId, operatorId));
    }

    @Transactional
    public List<MemberView> members(long poolId) {
        return memberships.members(poolId).stream().map(views::member).toList();
    }

    @Transactional
    public List<AuditView> audit(long poolId) {
        return memberships.audit(poolId).stream().map(views::audit).toList();
    }
}
