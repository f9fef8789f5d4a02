package pools;

import accounts.Caller;
import accounts.WalletAddress;
import chain.AssetKind;
import chain.Chain;
import chain.ChainEffect;
import chain.EffectStatus;
import chain.Token;
import gpu.Certificate;
import gpu.Certification;
import gpu.GpuModel;
import io.quarkus.cache.CacheInvalidateAll;
import io.quarkus.cache.CacheResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import platform.DomainException;
import platform.Epochs;

/**
 * The pools module's facade: operators (each an operator NFT), pools with their prices and reward
 * shares, GPUs from registration to retirement, and the members of distributed pools.
 */
@ApplicationScoped
public class Pools {

    private static final Pattern UUID_SHAPE = Pattern.compile("(GPU-)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Duration REPUTATION_WINDOW = Duration.ofDays(30);
    static final String OPERATOR_ROLE_CACHE = "bc-operator-role";
    /** The longest reason kept with a membership change or a GPU's leaving (the history adds a little to it). */
    static final int MAX_REASON = 400;

    private final Operators operators;
    private final Chain chain;
    private final Certification certification;
    private final Uptime uptime;
    private final Heartbeats heartbeats;
    private final Instance<LeavingGuard> guards;
    private final Instance<LeaseSource> leaseSources;
    private final Epochs epochs;
    private final PoolsConfig config;
    private final Clock clock;

    Pools(Operators operators, Chain chain, Certification certification, Uptime uptime, Heartbeats heartbeats,
          Instance<LeavingGuard> guards, Instance<LeaseSource> leaseSources, Epochs epochs, PoolsConfig config, Clock clock) {
        this.operators = operators;
        this.chain = chain;
        this.certification = certification;
        this.uptime = uptime;
        this.heartbeats = heartbeats;
        this.guards = guards;
        this.leaseSources = leaseSources;
        this.epochs = epochs;
        this.config = config;
        this.clock = clock;
    }

    // --- operators

    /** Makes the caller a pool operator: an operator NFT is minted to their wallet. */
    @Transactional
    @CacheInvalidateAll(cacheName = OPERATOR_ROLE_CACHE)
    public OperatorView becomeOperator(Caller caller, String name) {
        return view(operators.become(caller, name));
    }

    @Transactional
    public List<OperatorView> operatorsOf(WalletAddress wallet) {
        return operators.of(wallet).stream().map(this::view).toList();
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
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        PoolSpec spec = parse.get();
        GpuModel model = model(spec.modelId());
        require(spec.name(), "name");
        require(spec.region(), "region");
        require(spec.prices(), "prices");
        require(spec.noticePeriod(), "noticePeriodHours");
        require(spec.policy(), "policy");
        Instant now = clock.instant();
        PoolEntity pool = new PoolEntity();
        pool.id = nextId("pools_pool_id_seq");
        pool.operatorId = operator.id;
        pool.mode = require(spec.mode(), "mode");
        pool.modelId = model.id();
        pool.createdAt = now;
        applyEdits(pool, spec, now);
        pool.noticePeriodSeconds = bounded(spec.noticePeriod()).toSeconds();
        pool.setPolicy(bounded(spec.policy()));
        RewardShares shares = require(spec.shares(), "shares");
        pool.operatorBps = shares.operatorBps();
        pool.poolBps = shares.poolBps();
        pool.usedGpuBps = shares.usedGpuBps();
        pool.persist();
        return view(pool);
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
        PoolEntity pool = lockedPool(poolId);
        operators.requireRights(caller, pool.operatorId);
        PoolSpec spec = parse.get();
        Instant now = clock.instant();
        pool.applyDueTerms(epochs.epochAt(now));
        boolean hasGpus = GpuEntity.count("poolId = ?1 and status <> ?2", poolId, GpuStatus.RETIRED) > 0;
        if (spec.mode() != null && spec.mode() != pool.mode) {
            if (hasGpus || MemberEntity.count("poolId", poolId) > 0) {
                throw DomainException.conflict("A pool's mode cannot change once it has GPUs or members");
            }
            pool.mode = spec.mode();
        }
        if (spec.modelId() != null && !spec.modelId().equals(pool.modelId)) {
            if (hasGpus) {
                throw DomainException.conflict("A pool's GPU model cannot change once it has GPUs");
            }
            pool.modelId = model(spec.modelId()).id();
        }
        applyEdits(pool, spec, now);
        if (spec.noticePeriod() != null) {
            pool.changeNoticePeriod(bounded(spec.noticePeriod()), firstEpochAfterNotice(now));
        }
        if (spec.policy() != null) {
            pool.changePolicy(bounded(spec.policy()), firstEpochAfterNotice(now));
        }
        if (spec.shares() != null) {
            pool.announceShares(spec.shares(), firstEpochAfterNotice(now));
        }
        return view(pool);
    }

    @Transactional
    public Optional<PoolView> pool(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId).map(this::view);
    }

    /** Every pool, newest first: the public list. */
    @Transactional
    public List<PoolView> publicPools() {
        return PoolEntity.<PoolEntity>list("order by id desc").stream().map(this::view).toList();
    }

    /** The pools of the operators whose rights {@code wallet} has. */
    @Transactional
    public List<PoolView> poolsOf(WalletAddress wallet) {
        List<Long> ids = operators.of(wallet).stream().map(o -> o.id).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return PoolEntity.<PoolEntity>list("operatorId in ?1 order by id desc", ids).stream().map(this::view).toList();
    }

    // --- GPUs

    /** Registers a GPU to a pool, for the pool's operator or (in a distributed pool) an active member. */
    @Transactional
    public GpuView registerGpu(Caller caller, long poolId, GpuRegistration registration) {
        PoolEntity pool = existingPool(poolId);
        long operatorId = registration.operatorId() == null ? pool.operatorId : registration.operatorId();
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        if (operator.id.longValue() != pool.operatorId.longValue()) {
            MemberEntity member = MemberEntity.findById(new MemberEntity.Key(poolId, operator.id));
            if (member == null || !(member.status == MemberEntity.Status.ACTIVE || member.status == MemberEntity.Status.WARNED)) {
                throw DomainException.forbidden("Operator " + operator.id + " is not a member of pool " + poolId
                        + "; ask to join it first");
            }
        }
        String uuid = text("uuid", registration.uuid(), 64);
        if (!UUID_SHAPE.matcher(uuid).matches()) {
            throw DomainException.invalid("uuid: the GPU UUID the driver reports, such as GPU-8f3c2a1e-0b4d-4c6e-9a7f-1234567890ab");
        }
        String normalized = normalizeUuid(uuid);
        if (GpuEntity.count("gpuUuid = ?1 and status <> ?2", normalized, GpuStatus.RETIRED) > 0) {
            throw DomainException.conflict("The GPU " + normalized + " is already registered in a pool");
        }
        Instant now = clock.instant();
        WalletAddress wallet = operators.holder(operator);
        Optional<Certificate> elsewhere = certification.validCertificateOfAnother(normalized, wallet, now);
        if (elsewhere.isPresent()) {
            throw DomainException.conflict("The GPU " + normalized + " is certified for operator " + elsewhere.get().operator().checksummed()
                    + " until " + elsewhere.get().expiresAt() + "; that operator must revoke its certificate before the GPU is registered elsewhere");
        }
        refuseLiveNft(normalized, null);
        GpuEntity gpu = new GpuEntity();
        gpu.id = nextId("pools_gpu_id_seq");
        gpu.poolId = poolId;
        gpu.operatorId = operator.id;
        gpu.hostName = text("hostName", registration.hostName(), 253);
        gpu.serialNumber = text("serialNumber", registration.serialNumber(), 100);
        gpu.gpuUuid = normalized;
        gpu.status = GpuStatus.REGISTERED;
        gpu.registeredAt = now;
        gpu.updatedAt = now;
        gpu.persist();
        GpuEventEntity registered = new GpuEventEntity();
        registered.gpuId = gpu.id;
        registered.toStatus = GpuStatus.REGISTERED;
        registered.reason = "registered on " + gpu.hostName;
        registered.at = now;
        registered.persist();
        syncCertification(gpu, pool, now);
        return view(gpu, pool);
    }

    /**
     * Mints the GPU's NFT through the chain outbox. Refused (422, with the reason) unless the gpu
     * module holds a valid certificate for this GPU's UUID, of the pool's model, issued to the
     * GPU's operator.
     */
    @Transactional
    public GpuView mintGpu(Caller caller, long gpuId, MintRequest request) {
        return mint(ownGpu(caller, gpuId), request);
    }

    /**
     * Asks again for a mint the chain refused ({@link GpuView#mintError}): the same NFT, as a new
     * effect under a new outbox key, to {@code to} when given (a corrected recipient) or to the
     * previous request's recipient.
     */
    @Transactional
    public GpuView retryMint(Caller caller, long gpuId, String to) {
        GpuEntity gpu = ownGpu(caller, gpuId);
        if (mintFailure(gpu).isEmpty()) {
            throw DomainException.conflict("GPU " + gpuId + " has no refused mint to ask again: it is " + gpu.status.name().toLowerCase()
                    + (gpu.status == GpuStatus.MINTING ? " (its mint is on its way)" : ""));
        }
        return mint(gpu, new MintRequest(to == null || to.isBlank() ? gpu.mintTo : to, gpu.purchaseDate, gpu.inServiceDate,
                gpu.hostingAgreementUrl, gpu.ownershipContractUrl));
    }

    private GpuView mint(GpuEntity gpu, MintRequest request) {
        long gpuId = gpu.id;
        PoolEntity pool = PoolEntity.findById(gpu.poolId);
        Instant now = clock.instant();
        Optional<String> refused = mintFailure(gpu);
        if (gpu.status == GpuStatus.MINTING && refused.isPresent()) {
            gpu.moveTo(GpuStatus.CERTIFIED, now, "the chain refused the mint: " + refused.get());
        }
        if (gpu.status != GpuStatus.REGISTERED && gpu.status != GpuStatus.CERTIFIED) {
            throw DomainException.conflict("GPU " + gpuId + " is " + gpu.status.name().toLowerCase() + "; only a registered, certified GPU is minted");
        }
        Certificate certificate = certification.validCertificate(gpu.gpuUuid, now)
                .orElseThrow(() -> DomainException.refused("GPU " + gpu.gpuUuid + " has no valid certificate: run 'bc-cli certify' on its host first"));
        if (!certificate.modelId().equals(pool.modelId)) {
            throw DomainException.refused("GPU " + gpu.gpuUuid + " is certified as " + certificate.modelId()
                    + ", but pool " + pool.id + " holds " + pool.modelId);
        }
        WalletAddress operatorWallet = operators.holder(OperatorEntity.findById(gpu.operatorId));
        if (!certificate.operator().equals(operatorWallet)) {
            throw DomainException.refused("GPU " + gpu.gpuUuid + "'s certificate was issued to " + certificate.operator().checksummed()
                    + ", not to its operator " + operatorWallet.checksummed());
        }
        if (request.purchaseDate() == null || request.inServiceDate() == null) {
            throw DomainException.invalid("purchaseDate, inServiceDate: a GPU NFT records when the GPU was bought and put in service");
        }
        if (request.inServiceDate().isBefore(request.purchaseDate())) {
            throw DomainException.invalid("inServiceDate: a GPU goes into service after it is bought");
        }
        String to = request.to() == null || request.to().isBlank() ? operatorWallet.value() : WalletAddress.of(request.to()).value();
        refuseLiveNft(gpu.gpuUuid, gpu.id);
        if (refused.isPresent()) {
            gpu.mintAttempt++; // the refused request's key is used up: a new one is a new effect
        }
        gpu.certificateHash = certificate.hash();
        gpu.mintTo = to;
        gpu.purchaseDate = request.purchaseDate();
        gpu.inServiceDate = request.inServiceDate();
        gpu.hostingAgreementUrl = url("hostingAgreementUrl", request.hostingAgreementUrl());
        gpu.ownershipContractUrl = url("ownershipContractUrl", request.ownershipContractUrl());
        if (gpu.status == GpuStatus.REGISTERED) {
            gpu.moveTo(GpuStatus.CERTIFIED, now, "certificate " + certificate.hash());
        }
        gpu.moveTo(GpuStatus.MINTING, now, "GPU NFT requested for " + to);
        chain.request(gpu.mintKey(), new ChainEffect.MintGpuNft(to, BigInteger.valueOf(gpu.id), new ChainEffect.GpuNftMetadata(
                pool.modelId, gpu.serialNumber, gpu.purchaseDate.atStartOfDay().toInstant(ZoneOffset.UTC),
                gpu.inServiceDate.atStartOfDay().toInstant(ZoneOffset.UTC),
                gpu.hostingAgreementUrl, gpu.ownershipContractUrl, certificate.hash())));
        return view(gpu, pool);
    }

    /**
     * Takes a GPU out of its pool. A GPU not yet minted is retired at once; one in service leaves
     * after the pool's notice period, unless it backs a commitment it cannot be freed from (409).
     */
    @Transactional
    public GpuView leave(Caller caller, long gpuId, String reason) {
        GpuEntity gpu = ownGpu(caller, gpuId);
        PoolEntity pool = PoolEntity.findById(gpu.poolId);
        Instant now = clock.instant();
        if (gpu.status == GpuStatus.REGISTERED || gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.RETIRED, now, reasonOr(reason, "withdrawn before it was minted"));
            heartbeats.forget(gpu.gpuUuid);
            return view(gpu, pool);
        }
        startLeaving(gpu, pool, now, reasonOr(reason, "its operator asked it to leave"));
        return view(gpu, pool);
    }

    /** The pool's GPUs as they are: a read changes nothing (the status job follows certificates). */
    @Transactional
    public List<GpuView> gpus(long poolId) {
        PoolEntity pool = existingPool(poolId);
        return GpuEntity.<GpuEntity>list("poolId = ?1 order by id", poolId).stream()
                .map(g -> view(g, pool)).toList();
    }

    @Transactional
    public Optional<GpuView> gpu(long gpuId) {
        return GpuEntity.<GpuEntity>findByIdOptional(gpuId).map(g -> view(g, PoolEntity.findById(g.poolId)));
    }

    /** The GPUs whose NFTs {@code wallet} holds. */
    @Transactional
    public List<GpuView> gpusOwnedBy(WalletAddress wallet) {
        List<Long> ids = chain.tokensOf(AssetKind.GPU, wallet.value()).stream().map(t -> t.tokenId().longValueExact()).toList();
        if (ids.isEmpty()) {
            return List.of();
        }
        return GpuEntity.<GpuEntity>list("id in ?1 order by id", ids).stream()
                .map(g -> view(g, PoolEntity.findById(g.poolId))).toList();
    }

    @Transactional
    public List<GpuEvent> history(long gpuId) {
        return GpuEventEntity.<GpuEventEntity>list("gpuId = ?1 order by at, id", gpuId).stream()
                .map(e -> new GpuEvent(e.fromStatus, e.toStatus, e.reason, e.at)).toList();
    }

    /** Hourly uptime of a pool's GPUs in service over the last {@code days} days, for its chart. */
    @Transactional
    public List<UptimePoint> uptime(long poolId, Optional<Long> operatorId, int days) {
        Instant to = Instant.ofEpochSecond((Uptime.hourOf(clock.instant()) + 1) * 3600);
        Instant from = to.minus(Duration.ofDays(Math.max(1, Math.min(days, 90))));
        List<Long> ids = inService(poolId, operatorId);
        return uptime.hourly(ids, from, to).stream().map(p -> new UptimePoint(p.hour(), p.bps())).toList();
    }

    /** One hour of an uptime chart, in basis points. */
    public record UptimePoint(Instant hour, int uptimeBps) {
    }

    /** Online seconds of each GPU of a pool in an epoch: what settlement weighs the pool share by. */
    @Transactional
    public Map<Long, Long> onlineSeconds(long poolId, long epoch) {
        List<Long> ids = GpuEntity.<GpuEntity>list("poolId", poolId).stream().map(g -> g.id).toList();
        return uptime.onlineSeconds(ids, epochs.startOf(epoch), epochs.endOf(epoch));
    }

    /**
     * Every pool as the settlement of {@code epoch} reads it: one query for the GPUs (as rows, not
     * entities, so the settlement's later statements do not dirty-check 100,000 of them) and one
     * for the uptime of all of them.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public List<EpochPool> epochPools(long epoch) {
        List<PoolEntity> pools = PoolEntity.<PoolEntity>list("order by id");
        Map<Long, List<Long>> gpusOf = new java.util.HashMap<>();
        List<Long> all = new java.util.ArrayList<>();
        for (Object[] row : (List<Object[]>) PoolEntity.getEntityManager()
                .createNativeQuery("select id, pool_id from pools_gpu order by id").getResultList()) {
            long id = ((Number) row[0]).longValue();
            gpusOf.computeIfAbsent(((Number) row[1]).longValue(), p -> new java.util.ArrayList<>()).add(id);
            all.add(id);
        }
        Map<Long, Long> online = uptime.onlineSeconds(all, epochs.startOf(epoch), epochs.endOf(epoch));
        List<EpochPool> result = pools.stream().map(pool -> {
            List<Long> ids = gpusOf.getOrDefault(pool.id, List.of());
            Map<Long, Long> seconds = new java.util.HashMap<>();
            ids.forEach(id -> seconds.put(id, online.getOrDefault(id, 0L)));
            return new EpochPool(pool.id, pool.operatorId, pool.sharesIn(epoch), ids, seconds);
        }).toList();
        pools.forEach(PoolEntity.getEntityManager()::detach); // read only: nothing for later statements to flush
        return result;
    }

    /** The node agent's lease feed: what the caller's GPUs in service should run, from every {@link LeaseSource}. */
    @Transactional
    public List<LeaseSource.Lease> leases(Caller caller, Instant now) {
        List<Long> operatorIds = operators.of(caller.address()).stream().map(o -> o.id).toList();
        List<Long> gpuIds = operatorIds.isEmpty() ? List.of() : GpuEntity.<GpuEntity>list("operatorId in ?1 and status in ?2", operatorIds,
                List.of(GpuStatus.MINTED, GpuStatus.ACTIVE, GpuStatus.OFFLINE, GpuStatus.LEAVING)).stream().map(g -> g.id).toList();
        List<LeaseSource.Lease> leases = new java.util.ArrayList<>();
        if (!gpuIds.isEmpty()) {
            leaseSources.forEach(source -> leases.addAll(source.leases(gpuIds, now)));
        }
        return leases;
    }

    // --- members of distributed pools

    @Transactional
    public MemberView requestToJoin(Caller caller, long poolId, long operatorId, String message) {
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        PoolEntity pool = existingPool(poolId);
        if (pool.mode != PoolMode.DISTRIBUTED) {
            throw DomainException.conflict("Pool " + poolId + " is not a distributed pool: it takes no members");
        }
        if (pool.operatorId.longValue() == operator.id.longValue()) {
            throw DomainException.conflict("Operator " + operatorId + " runs pool " + poolId + " already");
        }
        Instant now = clock.instant();
        MemberEntity member = MemberEntity.findById(new MemberEntity.Key(poolId, operatorId));
        if (member != null && (member.isMember() || member.status == MemberEntity.Status.REQUESTED)) {
            throw DomainException.conflict("Operator " + operatorId + " is already " + member.status.name().toLowerCase() + " in pool " + poolId);
        }
        if (member == null) {
            member = new MemberEntity();
            member.poolId = poolId;
            member.operatorId = operatorId;
        }
        member.status = MemberEntity.Status.REQUESTED;
        member.message = message == null ? null : text("message", message, 500);
        member.requestedAt = now;
        member.decidedAt = null;
        member.warnedAt = null;
        member.leavesAt = null;
        member.persist();
        AuditEntity.record(poolId, operatorId, "requested", member.message, caller.address().value(), now);
        return memberView(member, pool, now);
    }

    @Transactional
    public MemberView approve(Caller caller, long poolId, long operatorId) {
        PoolEntity pool = ownPool(caller, poolId);
        MemberEntity member = member(poolId, operatorId);
        Instant now = clock.instant();
        member.approve(now);
        AuditEntity.record(poolId, operatorId, "approved", null, caller.address().value(), now);
        return memberView(member, pool, now);
    }

    @Transactional
    public MemberView refuse(Caller caller, long poolId, long operatorId, String reason) {
        PoolEntity pool = ownPool(caller, poolId);
        String why = reason == null || reason.isBlank() ? null : text("reason", reason, MAX_REASON);
        MemberEntity member = member(poolId, operatorId);
        Instant now = clock.instant();
        member.refuse(now);
        AuditEntity.record(poolId, operatorId, "refused", why, caller.address().value(), now);
        return memberView(member, pool, now);
    }

    /** Removes a member by hand; a reason is required and kept in the audit log. */
    @Transactional
    public MemberView kick(Caller caller, long poolId, long operatorId, String reason) {
        PoolEntity pool = ownPool(caller, poolId);
        String why = text("reason", reason, MAX_REASON);
        Instant now = clock.instant();
        removeMember(member(poolId, operatorId), pool, now, "removed", why, caller.address().value());
        return memberView(member(poolId, operatorId), pool, now);
    }

    /** A member leaves a distributed pool: after the notice period, with all its GPUs there. */
    @Transactional
    public MemberView leavePool(Caller caller, long poolId, long operatorId) {
        operators.requireRights(caller, operatorId);
        PoolEntity pool = existingPool(poolId);
        MemberEntity member = member(poolId, operatorId);
        Instant now = clock.instant();
        Instant leavesAt = now.plus(noticePeriodAt(pool, now));
        for (GpuEntity gpu : lockedGpus(poolId, operatorId)) {
            guardLeaving(gpu, pool, leavesAt);
        }
        member.startLeaving(leavesAt);
        for (GpuEntity gpu : lockedGpus(poolId, operatorId)) {
            retireOrLeave(gpu, pool, now, "its operator is leaving the pool");
        }
        AuditEntity.record(poolId, operatorId, "leaving", "leaves at " + leavesAt, caller.address().value(), now);
        return memberView(member, pool, now);
    }

    @Transactional
    public List<MemberView> members(long poolId) {
        PoolEntity pool = existingPool(poolId);
        Instant now = clock.instant();
        return MemberEntity.<MemberEntity>list("poolId = ?1 order by requestedAt", poolId).stream()
                .map(m -> memberView(m, pool, now)).toList();
    }

    @Transactional
    public List<AuditView> audit(long poolId) {
        return AuditEntity.<AuditEntity>list("poolId = ?1 order by at desc, id desc", poolId).stream()
                .map(a -> new AuditView(a.operatorId, a.action, a.reason, a.actor, a.at)).toList();
    }

    // --- internals shared with the jobs

    void removeMember(MemberEntity member, PoolEntity pool, Instant now, String action, String reason, String actor) {
        member.remove(now);
        for (GpuEntity gpu : lockedGpus(pool.id, member.operatorId)) {
            retireOrLeave(gpu, pool, now, "its operator was removed from the pool: " + reason);
        }
        AuditEntity.record(pool.id, member.operatorId, action, reason, actor, now);
    }

    /** The member's GPUs in the pool that are in service now. */
    List<Long> inService(long poolId, Optional<Long> operatorId) {
        return GpuEntity.<GpuEntity>list("poolId = ?1 and status in ?2", poolId,
                        List.of(GpuStatus.MINTED, GpuStatus.ACTIVE, GpuStatus.OFFLINE, GpuStatus.LEAVING)).stream()
                .filter(g -> operatorId.isEmpty() || g.operatorId.equals(operatorId.get()))
                .map(g -> g.id).toList();
    }

    /** How many times these GPUs went offline in [from, to). */
    static int failures(List<Long> gpuIds, Instant from, Instant to) {
        if (gpuIds.isEmpty()) {
            return 0;
        }
        return (int) GpuEventEntity.count("gpuId in ?1 and toStatus = ?2 and at >= ?3 and at < ?4",
                gpuIds, GpuStatus.OFFLINE, from, to);
    }

    private void retireOrLeave(GpuEntity gpu, PoolEntity pool, Instant now, String reason) {
        if (gpu.status == GpuStatus.REGISTERED || gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.RETIRED, now, reason);
        } else if (gpu.status.inService() && gpu.status != GpuStatus.LEAVING) {
            gpu.leavesAt = now.plus(noticePeriodAt(pool, now));
            gpu.moveTo(GpuStatus.LEAVING, now, reason);
        }
        heartbeats.forget(gpu.gpuUuid);
    }

    /** The notice period in force at {@code now}: an announced one only from its epoch on. */
    private Duration noticePeriodAt(PoolEntity pool, Instant now) {
        return pool.noticePeriodIn(epochs.epochAt(now));
    }

    private void startLeaving(GpuEntity gpu, PoolEntity pool, Instant now, String reason) {
        Instant leavesAt = now.plus(noticePeriodAt(pool, now));
        guardLeaving(gpu, pool, leavesAt);
        gpu.leavesAt = leavesAt;
        gpu.moveTo(GpuStatus.LEAVING, now, reason + "; leaves at " + leavesAt);
    }

    private void guardLeaving(GpuEntity gpu, PoolEntity pool, Instant leavesAt) {
        for (LeavingGuard guard : guards) {
            Optional<String> reason = guard.reasonToStay(pool.id, gpu.id, leavesAt);
            if (reason.isPresent()) {
                throw DomainException.conflict("GPU " + gpu.id + " cannot leave: " + reason.get());
            }
        }
    }

    /** REGISTERED and CERTIFIED follow the gpu module's certificates. */
    void syncCertification(GpuEntity gpu, PoolEntity pool, Instant now) {
        if (gpu.status != GpuStatus.REGISTERED && gpu.status != GpuStatus.CERTIFIED) {
            return;
        }
        Optional<Certificate> certificate = certification.validCertificate(gpu.gpuUuid, now)
                .filter(c -> c.modelId().equals(pool.modelId));
        if (certificate.isPresent() && gpu.status == GpuStatus.REGISTERED) {
            gpu.certificateHash = certificate.get().hash();
            gpu.moveTo(GpuStatus.CERTIFIED, now, "certificate " + certificate.get().hash());
        } else if (certificate.isEmpty() && gpu.status == GpuStatus.CERTIFIED) {
            gpu.moveTo(GpuStatus.REGISTERED, now, "its certificate is no longer valid");
        }
    }

    private long firstEpochAfterNotice(Instant now) {
        long epoch = epochs.epochAt(now) + 1;
        while (epochs.startOf(epoch).isBefore(now.plus(config.shareChangeNotice()))) {
            epoch++;
        }
        return epoch;
    }

    private void applyEdits(PoolEntity pool, PoolSpec spec, Instant now) {
        if (spec.name() != null) {
            pool.name = text("name", spec.name(), 80);
        }
        if (spec.region() != null) {
            pool.region = text("region", spec.region(), 60);
        }
        if (spec.prices() != null) {
            pool.setPrices(spec.prices());
        }
        pool.updatedAt = now;
    }

    /** A notice period within {@code bc.pools.max-notice-period}. */
    private Duration bounded(Duration noticePeriod) {
        if (noticePeriod.isNegative()) {
            throw DomainException.invalid("noticePeriodHours: cannot be negative");
        }
        if (noticePeriod.compareTo(config.maxNoticePeriod()) > 0) {
            throw DomainException.invalid("noticePeriodHours: at most " + hours(config.maxNoticePeriod())
                    + " (bc.pools.max-notice-period): members must be able to leave");
        }
        return noticePeriod;
    }

    /** A member policy within {@code bc.pools.max-policy-window} and {@code bc.pools.max-warning-grace}. */
    private MemberPolicy bounded(MemberPolicy policy) {
        if (policy.window().compareTo(config.maxPolicyWindow()) > 0) {
            throw DomainException.invalid("policy.windowHours: at most " + hours(config.maxPolicyWindow()) + " (bc.pools.max-policy-window)");
        }
        if (policy.warningGrace().compareTo(config.maxWarningGrace()) > 0) {
            throw DomainException.invalid("policy.warningGraceHours: at most " + hours(config.maxWarningGrace())
                    + " (bc.pools.max-warning-grace)");
        }
        return policy;
    }

    private static String hours(Duration duration) {
        return String.format("%,d hours", duration.toHours());
    }

    private PoolEntity ownPool(Caller caller, long poolId) {
        PoolEntity pool = existingPool(poolId);
        operators.requireRights(caller, pool.operatorId);
        return pool;
    }

    private static PoolEntity existingPool(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId)
                .orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
    }

    /** The pool, locked until the transaction ends: edits of one pool happen one after the other. */
    private static PoolEntity lockedPool(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
    }

    /** The GPU, locked until the caller's change commits (a job holding it is waited for; see {@link PoolsJobs}). */
    private GpuEntity ownGpu(Caller caller, long gpuId) {
        GpuEntity gpu = GpuEntity.<GpuEntity>findByIdOptional(gpuId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("There is no GPU " + gpuId));
        operators.requireRights(caller, gpu.operatorId);
        return gpu;
    }

    /**
     * An operator's GPUs in a pool, locked in id order (so that two lockers never wait for each
     * other) and read again once locked: one loaded earlier in the transaction may be stale.
     */
    private static List<GpuEntity> lockedGpus(long poolId, long operatorId) {
        List<GpuEntity> gpus = GpuEntity.<GpuEntity>find("poolId = ?1 and operatorId = ?2 order by id", poolId, operatorId)
                .withLock(LockModeType.PESSIMISTIC_WRITE).list();
        gpus.forEach(GpuEntity.getEntityManager()::refresh);
        return gpus;
    }

    /** The membership, locked until the change commits (every caller changes it). */
    private MemberEntity member(long poolId, long operatorId) {
        return MemberEntity.<MemberEntity>findByIdOptional(new MemberEntity.Key(poolId, operatorId), LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("Operator " + operatorId + " has not asked to join pool " + poolId));
    }

    private GpuModel model(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw DomainException.invalid("modelId: choose the pool's GPU model from GET /api/gpu/models");
        }
        return certification.model(modelId)
                .orElseThrow(() -> DomainException.invalid("modelId: '" + modelId + "' is not in the GPU model table (GET /api/gpu/models)"));
    }

    private static long nextId(String sequence) {
        return ((Number) PoolEntity.getEntityManager().createNativeQuery("select nextval('" + sequence + "')").getSingleResult()).longValue();
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw DomainException.invalid(field + ": required");
        }
        return value;
    }

    private static String text(String field, String value, int max) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.isEmpty() || trimmed.length() > max) {
            throw DomainException.invalid(field + ": 1 to " + max + " characters");
        }
        return trimmed;
    }

    private static String url(String field, String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        String trimmed = value.trim();
        if (trimmed.length() > 500 || !(trimmed.startsWith("https://") || trimmed.startsWith("http://") || trimmed.startsWith("ipfs://"))) {
            throw DomainException.invalid(field + ": a link (https://, http:// or ipfs://) of at most 500 characters");
        }
        return trimmed;
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : text("reason", reason, MAX_REASON);
    }

    /** "gpu-8F3C…" and "8f3c…" are the same GPU: "GPU-" and lowercase hex, as nvidia-smi prints it. */
    static String normalizeUuid(String uuid) {
        String trimmed = uuid.trim();
        String hex = trimmed.regionMatches(true, 0, "GPU-", 0, 4) ? trimmed.substring(4) : trimmed;
        return "GPU-" + hex.toLowerCase(Locale.ROOT);
    }

    /** Why the chain refused the GPU's current mint request, if it did. */
    private Optional<String> mintFailure(GpuEntity gpu) {
        if (gpu.mintTo == null || gpu.status.inService() || gpu.status == GpuStatus.RETIRED) {
            return Optional.empty();
        }
        return chain.effect(gpu.mintKey()).filter(e -> e.status() == EffectStatus.Status.FAILED)
                .map(e -> e.lastError() == null || e.lastError().isBlank() ? "refused by the chain" : e.lastError());
    }

    /**
     * Refuses (409) a GPU UUID that has a live GPU NFT on another GPU row (a GPU in service
     * elsewhere, or retired with its NFT not yet burned): a UUID never has two live NFTs.
     */
    private void refuseLiveNft(String uuid, Long exceptGpuId) {
        for (GpuEntity other : GpuEntity.<GpuEntity>list("gpuUuid = ?1 and mintTo is not null", uuid)) {
            if (other.id.equals(exceptGpuId)) {
                continue;
            }
            Optional<Token> nft = chain.token(AssetKind.GPU, BigInteger.valueOf(other.id)).filter(t -> !t.burned());
            if (nft.isPresent()) {
                throw DomainException.conflict("The GPU " + uuid + " still has a live GPU NFT #" + other.id + " (held by "
                        + WalletAddress.of(nft.get().owner()).checksummed() + ", GPU " + other.status.name().toLowerCase()
                        + "); it is burned once that GPU has retired, and only then can the UUID be registered again");
            }
        }
    }

    // --- views

    private OperatorView view(OperatorEntity operator) {
        Optional<Token> nft = operators.nft(operator);
        return new OperatorView(operator.id, operator.name, operators.holder(operator).value(), nft.isPresent(),
                nft.map(Token::mintedTx).orElse(null));
    }

    PoolView view(PoolEntity pool) {
        OperatorEntity operator = OperatorEntity.findById(pool.operatorId);
        PoolView.PendingShares pending = pool.pendingFromEpoch == null ? null : new PoolView.PendingShares(
                pool.sharesIn(pool.pendingFromEpoch), pool.pendingFromEpoch, epochs.startOf(pool.pendingFromEpoch));
        List<GpuEntity> gpus = GpuEntity.list("poolId = ?1 and status <> ?2", pool.id, GpuStatus.RETIRED);
        int inService = (int) gpus.stream().filter(g -> g.status.inService()).count();
        int active = (int) gpus.stream().filter(g -> g.status == GpuStatus.ACTIVE).count();
        String modelName = certification.model(pool.modelId).map(GpuModel::name).orElse(pool.modelId);
        long epoch = epochs.epochAt(clock.instant());
        PoolView.PendingTerms pendingTerms = pool.pendingTermsFromEpoch == null || pool.pendingTermsFromEpoch <= epoch ? null
                : new PoolView.PendingTerms(pool.pendingNoticePeriod(), pool.pendingPolicy(), pool.pendingTermsFromEpoch,
                        epochs.startOf(pool.pendingTermsFromEpoch));
        return new PoolView(pool.id, pool.name, view(operator), pool.mode, pool.modelId, modelName, pool.region,
                pool.prices(), pool.shares(), pending, pool.noticePeriodIn(epoch), pool.policyIn(epoch),
                new PoolView.Size(gpus.size(), inService, active), reputation(pool), pendingTerms);
    }

    /** The reputation of a pool over the last 30 days (see {@link Reputation}). */
    Reputation reputation(PoolEntity pool) {
        List<GpuEntity> gpus = GpuEntity.list("poolId = ?1 and status in ?2", pool.id,
                List.of(GpuStatus.MINTED, GpuStatus.ACTIVE, GpuStatus.OFFLINE, GpuStatus.LEAVING));
        if (gpus.isEmpty()) {
            return Reputation.unrated();
        }
        Instant now = clock.instant();
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(now) * 3600);
        Instant from = to.minus(REPUTATION_WINDOW);
        List<Long> ids = gpus.stream().map(g -> g.id).toList();
        int uptimeBps = uptime.uptimeBps(ids, from, to);
        double lowestMargins = gpus.stream()
                .map(g -> g.certificateHash == null ? Optional.<Certificate>empty() : certification.certificate(g.certificateHash))
                .flatMap(Optional::stream)
                .mapToDouble(c -> c.figures().values().stream().mapToDouble(f -> f.margin().doubleValue()).min().orElse(1.0))
                .average().orElse(1.0);
        double marginScore = Math.max(0, Math.min(1, (lowestMargins - 0.9) / 0.2));
        int failures = failures(ids, from, to);
        double reliability = 1.0 / (1.0 + (double) failures / gpus.size());
        int score = (int) Math.round(60 * uptimeBps / 10_000.0 + 25 * marginScore + 15 * reliability);
        return new Reputation(true, score, uptimeBps, (int) Math.round(marginScore * 10_000), (int) Math.round(reliability * 10_000), failures);
    }

    private GpuView view(GpuEntity gpu, PoolEntity pool) {
        Optional<Token> nft = chain.token(AssetKind.GPU, BigInteger.valueOf(gpu.id)).filter(t -> !t.burned());
        return new GpuView(gpu.id, gpu.poolId, pool.name, gpu.operatorId, gpu.hostName, gpu.serialNumber, gpu.gpuUuid, gpu.status,
                gpu.certificateHash, nft.map(Token::owner).orElse(null), nft.map(Token::mintedTx).orElse(null),
                gpu.purchaseDate, gpu.inServiceDate, gpu.lastHeartbeatAt, gpu.leavesAt, gpu.registeredAt,
                mintFailure(gpu).orElse(null), gpu.mintTo);
    }

    MemberView memberView(MemberEntity member, PoolEntity pool, Instant now) {
        OperatorEntity operator = OperatorEntity.findById(member.operatorId);
        List<Long> gpus = inService(pool.id, Optional.of(member.operatorId));
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(now) * 3600);
        Instant from = to.minus(pool.policyIn(epochs.epochAt(now)).window());
        return new MemberView(pool.id, member.operatorId, operator.name, operators.holder(operator).value(),
                member.status.name(), member.message, member.requestedAt, member.warnedAt, member.leavesAt, gpus.size(),
                uptime.uptimeBps(gpus, from, to), failures(gpus, from, to));
    }
}
