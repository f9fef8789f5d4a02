package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.Table;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import platform.DomainException;

/**
 * A pool: one GPU model, prices, reward shares (with a pending change), notice period and member
 * policy (with a pending change of those terms: a longer notice or a stricter policy binds the
 * members, so it is announced and applies from a future epoch, like a share change).
 */
@Entity
@Table(name = "pools_pool")
class PoolEntity extends PanacheEntityBase {

    @Id
    public Long id;

    @Column(name = "operator_id", nullable = false)
    public Long operatorId;

    @Column(nullable = false)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public PoolMode mode;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public String region;

    @Column(name = "spot_dc_per_hour", nullable = false)
    public long spotDcPerHour;

    @Column(name = "on_demand_dc_per_hour", nullable = false)
    public long onDemandDcPerHour;

    @OneToMany(mappedBy = "poolId", cascade = CascadeType.ALL, orphanRemoval = true, fetch = FetchType.EAGER)
    public List<ReservedPriceEntity> reserved = new ArrayList<>();

    @Column(name = "operator_bps", nullable = false)
    public int operatorBps;

    @Column(name = "pool_bps", nullable = false)
    public int poolBps;

    @Column(name = "used_gpu_bps", nullable = false)
    public int usedGpuBps;

    @Column(name = "pending_operator_bps")
    public Integer pendingOperatorBps;

    @Column(name = "pending_pool_bps")
    public Integer pendingPoolBps;

    @Column(name = "pending_used_gpu_bps")
    public Integer pendingUsedGpuBps;

    @Column(name = "pending_from_epoch")
    public Long pendingFromEpoch;

    @Column(name = "notice_period_seconds", nullable = false)
    public long noticePeriodSeconds;

    @Column(name = "min_uptime_bps", nullable = false)
    public int minUptimeBps;

    @Column(name = "uptime_window_seconds", nullable = false)
    public long uptimeWindowSeconds;

    @Column(name = "max_failures", nullable = false)
    public int maxFailures;

    @Column(name = "warning_grace_seconds", nullable = false)
    public long warningGraceSeconds;

    @Column(name = "pending_notice_period_seconds")
    public Long pendingNoticePeriodSeconds;

    @Column(name = "pending_min_uptime_bps")
    public Integer pendingMinUptimeBps;

    @Column(name = "pending_uptime_window_seconds")
    public Long pendingUptimeWindowSeconds;

    @Column(name = "pending_max_failures")
    public Integer pendingMaxFailures;

    @Column(name = "pending_warning_grace_seconds")
    public Long pendingWarningGraceSeconds;

    /** The epoch from which the pending notice period and policy apply; null when none is pending. */
    @Column(name = "pending_terms_from_epoch")
    public Long pendingTermsFromEpoch;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The pool, or a 404. */
    static PoolEntity existing(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId)
                .orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
    }

    /** The pool, locked until the transaction ends: edits of one pool happen one after the other. */
    static PoolEntity locked(long poolId) {
        return PoolEntity.<PoolEntity>findByIdOptional(poolId, LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("There is no pool " + poolId));
    }

    /** A new pool's id, from the sequence that keeps ids unique. */
    static long nextId() {
        return ((Number) getEntityManager().createNativeQuery("select nextval('pools_pool_id_seq')").getSingleResult()).longValue();
    }

    RewardShares shares() {
        return new RewardShares(operatorBps, poolBps, usedGpuBps);
    }

    /** The shares that apply in {@code epoch}, as far as the pool's row knows: the pending ones from their epoch on. */
    RewardShares sharesIn(long epoch) {
        if (pendingFromEpoch != null && epoch >= pendingFromEpoch) {
            return new RewardShares(pendingOperatorBps, pendingPoolBps, pendingUsedGpuBps);
        }
        return shares();
    }

    /**
     * The shares that applied in {@code epoch}, also one that has ended: a pending change from its
     * epoch on, else the recorded shares in force then ({@code history}: see {@link #sharesInForce}),
     * else the current ones (a pool created after {@code epoch} had no GPUs in it).
     */
    RewardShares sharesIn(long epoch, Map<Long, RewardShares> history) {
        if (pendingFromEpoch != null && epoch >= pendingFromEpoch) {
            return sharesIn(epoch);
        }
        return history.getOrDefault(id, shares());
    }

    /** Makes a due pending change the current shares and records them in force from its epoch. */
    boolean takeDueShares(long currentEpoch) {
        Long from = pendingFromEpoch;
        if (!applyDueShares(currentEpoch)) {
            return false;
        }
        recordShares(from);
        return true;
    }

    /** Records the current shares as in force from {@code fromEpoch} on (pools_pool_shares). */
    void recordShares(long fromEpoch) {
        getEntityManager().createNativeQuery("""
                insert into pools_pool_shares (pool_id, from_epoch, operator_bps, pool_bps, used_gpu_bps)
                values (?1, ?2, ?3, ?4, ?5)
                on conflict (pool_id, from_epoch) do update
                set operator_bps = excluded.operator_bps, pool_bps = excluded.pool_bps, used_gpu_bps = excluded.used_gpu_bps""")
                .setParameter(1, id).setParameter(2, fromEpoch).setParameter(3, operatorBps)
                .setParameter(4, poolBps).setParameter(5, usedGpuBps).executeUpdate();
    }

    /** Every pool's recorded shares in force during {@code epoch}: the latest record from that epoch or before. */
    @SuppressWarnings("unchecked")
    static Map<Long, RewardShares> sharesInForce(long epoch) {
        Map<Long, RewardShares> shares = new HashMap<>();
        for (Object[] row : (List<Object[]>) getEntityManager().createNativeQuery("""
                select distinct on (pool_id) pool_id, operator_bps, pool_bps, used_gpu_bps
                from pools_pool_shares where from_epoch <= ?1 order by pool_id, from_epoch desc""")
                .setParameter(1, epoch).getResultList()) {
            shares.put(((Number) row[0]).longValue(), new RewardShares(((Number) row[1]).intValue(),
                    ((Number) row[2]).intValue(), ((Number) row[3]).intValue()));
        }
        return shares;
    }

    /**
     * Announces new shares from {@code fromEpoch} on (a future epoch: members must be able to see a
     * change before it applies). Asking for the shares in force cancels a pending change.
     */
    void announceShares(RewardShares next, long fromEpoch) {
        if (next.equals(shares())) {
            clearPendingShares();
            return;
        }
        if (pendingFromEpoch != null && next.equals(sharesIn(pendingFromEpoch))) {
            return; // announced already: it keeps its epoch
        }
        pendingOperatorBps = next.operatorBps();
        pendingPoolBps = next.poolBps();
        pendingUsedGpuBps = next.usedGpuBps();
        pendingFromEpoch = fromEpoch;
    }

    /** Makes a pending change the current shares once its epoch has begun. */
    boolean applyDueShares(long currentEpoch) {
        if (pendingFromEpoch == null || currentEpoch < pendingFromEpoch) {
            return false;
        }
        operatorBps = pendingOperatorBps;
        poolBps = pendingPoolBps;
        usedGpuBps = pendingUsedGpuBps;
        clearPendingShares();
        return true;
    }

    private void clearPendingShares() {
        pendingOperatorBps = null;
        pendingPoolBps = null;
        pendingUsedGpuBps = null;
        pendingFromEpoch = null;
    }

    Prices prices() {
        return new Prices(spotDcPerHour, onDemandDcPerHour,
                reserved.stream().map(r -> new Prices.ReservedPrice(r.termDays, r.dcPerHour)).toList());
    }

    /** Replaces the prices; a reserved term that stays keeps its row (its key is the pool and the term). */
    void setPrices(Prices prices) {
        spotDcPerHour = prices.spotDcPerHour();
        onDemandDcPerHour = prices.onDemandDcPerHour();
        reserved.removeIf(existing -> prices.reserved().stream().noneMatch(p -> p.termDays() == existing.termDays));
        for (Prices.ReservedPrice price : prices.reserved()) {
            ReservedPriceEntity entity = reserved.stream().filter(r -> r.termDays == price.termDays()).findFirst().orElseGet(() -> {
                ReservedPriceEntity added = new ReservedPriceEntity();
                added.poolId = id;
                added.termDays = price.termDays();
                reserved.add(added);
                return added;
            });
            entity.dcPerHour = price.dcPerHour();
        }
    }

    MemberPolicy policy() {
        return new MemberPolicy(minUptimeBps, Duration.ofSeconds(uptimeWindowSeconds), maxFailures, Duration.ofSeconds(warningGraceSeconds));
    }

    void setPolicy(MemberPolicy policy) {
        minUptimeBps = policy.minUptimeBps();
        uptimeWindowSeconds = policy.window().toSeconds();
        maxFailures = policy.maxFailures();
        warningGraceSeconds = policy.warningGrace().toSeconds();
    }

    /** The notice period in force in {@code epoch}: a pending one from its epoch on. */
    Duration noticePeriodIn(long epoch) {
        if (termsDueIn(epoch) && pendingNoticePeriodSeconds != null) {
            return Duration.ofSeconds(pendingNoticePeriodSeconds);
        }
        return Duration.ofSeconds(noticePeriodSeconds);
    }

    /** The member policy in force in {@code epoch}: a pending one from its epoch on. */
    MemberPolicy policyIn(long epoch) {
        if (termsDueIn(epoch) && pendingMinUptimeBps != null) {
            return pendingPolicy();
        }
        return policy();
    }

    /** The announced notice period, if one is pending. */
    Duration pendingNoticePeriod() {
        return pendingNoticePeriodSeconds == null ? null : Duration.ofSeconds(pendingNoticePeriodSeconds);
    }

    /** The announced member policy, if one is pending. */
    MemberPolicy pendingPolicy() {
        return pendingMinUptimeBps == null ? null : new MemberPolicy(pendingMinUptimeBps, Duration.ofSeconds(pendingUptimeWindowSeconds),
                pendingMaxFailures, Duration.ofSeconds(pendingWarningGraceSeconds));
    }

    /**
     * A new notice period. A shorter one (or the one in force) only helps the members: it applies at
     * once and cancels an announced one. A longer one would hold members longer than they agreed to:
     * it is announced and applies from {@code fromEpoch}; until then the old one holds.
     */
    void changeNoticePeriod(Duration next, long fromEpoch) {
        if (Long.valueOf(next.toSeconds()).equals(pendingNoticePeriodSeconds)) {
            return; // announced already: it keeps its epoch
        }
        if (next.toSeconds() <= noticePeriodSeconds) {
            noticePeriodSeconds = next.toSeconds();
            pendingNoticePeriodSeconds = null;
        } else {
            pendingNoticePeriodSeconds = next.toSeconds();
            pendingTermsFromEpoch = fromEpoch;
        }
        clearTermsIfNonePending();
    }

    /**
     * A new member policy. One that is nowhere stricter than the policy in force applies at once;
     * a stricter one is announced and applies from {@code fromEpoch}.
     */
    void changePolicy(MemberPolicy next, long fromEpoch) {
        if (next.equals(pendingPolicy())) {
            return; // announced already: it keeps its epoch
        }
        if (next.noStricterThan(policy())) {
            setPolicy(next);
            pendingMinUptimeBps = null;
            pendingUptimeWindowSeconds = null;
            pendingMaxFailures = null;
            pendingWarningGraceSeconds = null;
        } else {
            pendingMinUptimeBps = next.minUptimeBps();
            pendingUptimeWindowSeconds = next.window().toSeconds();
            pendingMaxFailures = next.maxFailures();
            pendingWarningGraceSeconds = next.warningGrace().toSeconds();
            pendingTermsFromEpoch = fromEpoch;
        }
        clearTermsIfNonePending();
    }

    /** Makes the pending notice period and policy the ones in force once their epoch has begun. */
    boolean applyDueTerms(long currentEpoch) {
        if (!termsDueIn(currentEpoch)) {
            return false;
        }
        if (pendingNoticePeriodSeconds != null) {
            noticePeriodSeconds = pendingNoticePeriodSeconds;
            pendingNoticePeriodSeconds = null;
        }
        if (pendingMinUptimeBps != null) {
            setPolicy(pendingPolicy());
            pendingMinUptimeBps = null;
            pendingUptimeWindowSeconds = null;
            pendingMaxFailures = null;
            pendingWarningGraceSeconds = null;
        }
        pendingTermsFromEpoch = null;
        return true;
    }

    private boolean termsDueIn(long epoch) {
        return pendingTermsFromEpoch != null && epoch >= pendingTermsFromEpoch;
    }

    private void clearTermsIfNonePending() {
        if (pendingNoticePeriodSeconds == null && pendingMinUptimeBps == null) {
            pendingTermsFromEpoch = null;
        }
    }
}
