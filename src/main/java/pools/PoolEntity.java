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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A pool: one GPU model, prices, reward shares (with a pending change), notice period and member policy. */
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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    RewardShares shares() {
        return new RewardShares(operatorBps, poolBps, usedGpuBps);
    }

    /** The shares that apply in {@code epoch}: the pending ones from their epoch on. */
    RewardShares sharesIn(long epoch) {
        if (pendingFromEpoch != null && epoch >= pendingFromEpoch) {
            return new RewardShares(pendingOperatorBps, pendingPoolBps, pendingUsedGpuBps);
        }
        return shares();
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
}
