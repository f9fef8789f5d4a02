package pools;

import chain.AssetKind;
import chain.Chain;
import chain.EffectStatus;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import platform.Epochs;

/**
 * What happens with time: announced shares take effect, GPUs become minted, active, offline or
 * retired, and distributed pools enforce their member policy (warn, then remove). Each runs in
 * its own transaction and is safe to run on several instances at once (row locks make the
 * transitions happen once).
 */
@ApplicationScoped
class PoolsJobs {

    private final Pools pools;
    private final Chain chain;
    private final Uptime uptime;
    private final Epochs epochs;
    private final PoolsConfig config;
    private final Clock clock;

    PoolsJobs(Pools pools, Chain chain, Uptime uptime, Epochs epochs, PoolsConfig config, Clock clock) {
        this.pools = pools;
        this.chain = chain;
        this.uptime = uptime;
        this.epochs = epochs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.pools.status-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void statuses() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> applyDueShares(now));
        QuarkusTransaction.requiringNew().run(() -> followMints(now));
        QuarkusTransaction.requiringNew().run(() -> followHeartbeats(now));
        QuarkusTransaction.requiringNew().run(() -> finishLeaving(now));
    }

    @Scheduled(every = "${bc.pools.policy-interval}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void policies() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> enforcePolicies(now));
    }

    void applyDueShares(Instant now) {
        long epoch = epochs.epochAt(now);
        PoolEntity.<PoolEntity>list("pendingFromEpoch <= ?1", epoch).forEach(p -> p.applyDueShares(epoch));
    }

    /** MINTING becomes MINTED once the chain shows the GPU NFT, or CERTIFIED again if the chain refused the mint. */
    void followMints(Instant now) {
        for (GpuEntity gpu : GpuEntity.<GpuEntity>list("status", GpuStatus.MINTING)) {
            if (chain.token(AssetKind.GPU, BigInteger.valueOf(gpu.id)).isPresent()) {
                gpu.moveTo(GpuStatus.MINTED, now, "GPU NFT #" + gpu.id + " is on chain");
            } else {
                Optional<EffectStatus> effect = chain.effect(Pools.nftKey(gpu.id));
                if (effect.isPresent() && effect.get().status() == EffectStatus.Status.FAILED) {
                    gpu.moveTo(GpuStatus.CERTIFIED, now, "the chain refused the mint: " + effect.get().lastError());
                }
            }
        }
    }

    /** Heartbeats make a minted or offline GPU active; none for {@code offline-after} makes an active GPU offline. */
    void followHeartbeats(Instant now) {
        Instant cutoff = now.minus(config.offlineAfter());
        for (GpuEntity gpu : GpuEntity.<GpuEntity>list("status in ?1 and lastHeartbeatAt >= ?2",
                List.of(GpuStatus.MINTED, GpuStatus.OFFLINE), cutoff)) {
            gpu.moveTo(GpuStatus.ACTIVE, now, "heartbeats from its node agent");
        }
        for (GpuEntity gpu : GpuEntity.<GpuEntity>list("status = ?1 and (lastHeartbeatAt is null or lastHeartbeatAt < ?2)",
                GpuStatus.ACTIVE, cutoff)) {
            gpu.moveTo(GpuStatus.OFFLINE, now, "no heartbeat since " + gpu.lastHeartbeatAt);
        }
    }

    void finishLeaving(Instant now) {
        for (GpuEntity gpu : GpuEntity.<GpuEntity>list("status = ?1 and leavesAt <= ?2", GpuStatus.LEAVING, now)) {
            gpu.moveTo(GpuStatus.RETIRED, now, "left the pool at the end of its notice period");
        }
        for (MemberEntity member : MemberEntity.<MemberEntity>list("status = ?1 and leavesAt <= ?2", MemberEntity.Status.LEAVING, now)) {
            member.finishLeaving(now);
            AuditEntity.record(member.poolId, member.operatorId, "left", "end of the notice period", AuditEntity.POLICY, now);
        }
    }

    /**
     * For each member of a distributed pool with GPUs in service: below the policy (uptime under the
     * minimum over the window, or more failures than allowed) it is warned; still below once the
     * warning's grace period is over, it is removed; back above it, the warning is cleared.
     */
    void enforcePolicies(Instant now) {
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(now) * 3600);
        for (PoolEntity pool : PoolEntity.<PoolEntity>list("mode", PoolMode.DISTRIBUTED)) {
            MemberPolicy policy = pool.policy();
            Instant from = to.minus(policy.window());
            for (MemberEntity member : MemberEntity.<MemberEntity>list("poolId = ?1 and status in ?2", pool.id,
                    List.of(MemberEntity.Status.ACTIVE, MemberEntity.Status.WARNED))) {
                List<Long> gpus = pools.inService(pool.id, Optional.of(member.operatorId));
                if (gpus.isEmpty()) {
                    continue; // nothing to measure yet
                }
                int uptimeBps = uptime.uptimeBps(gpus, from, to);
                int failures = Pools.failures(gpus, from, to);
                boolean below = uptimeBps < policy.minUptimeBps() || failures > policy.maxFailures();
                String measured = String.format("uptime %s%% (minimum %s%%), %d failures (at most %d) over %d h",
                        percent(uptimeBps), percent(policy.minUptimeBps()), failures, policy.maxFailures(), policy.window().toHours());
                if (below && member.status == MemberEntity.Status.ACTIVE) {
                    member.warn(now);
                    AuditEntity.record(pool.id, member.operatorId, "warned", measured, AuditEntity.POLICY, now);
                } else if (below && !now.isBefore(member.warnedAt.plus(policy.warningGrace()))) {
                    pools.removeMember(member, pool, now, "removed", measured, AuditEntity.POLICY);
                } else if (!below && member.status == MemberEntity.Status.WARNED) {
                    member.clearWarning();
                    AuditEntity.record(pool.id, member.operatorId, "warning cleared", measured, AuditEntity.POLICY, now);
                }
            }
        }
    }

    private static String percent(int bps) {
        return String.format("%d.%02d", bps / 100, bps % 100);
    }
}
