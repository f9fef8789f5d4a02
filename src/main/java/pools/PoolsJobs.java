package pools;

import static org.hibernate.jpa.SpecHints.HINT_SPEC_LOCK_TIMEOUT;

import chain.AssetKind;
import chain.Chain;
import chain.EffectStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.Timeouts;
import platform.Epochs;

/**
 * What happens with time: announced shares take effect, GPUs follow their certificates and become
 * minted, active, offline or retired, and distributed pools enforce their member policy (warn,
 * then remove). Each runs in its own transaction and is safe to run on several instances at once:
 * every job claims the rows it changes with {@code SELECT … FOR NO KEY UPDATE SKIP LOCKED} (see
 * {@link #claim}), so another instance's job skips them, and one that runs after it re-reads them
 * and finds them no longer due. A GPU goes offline once (one history event, one failure counted in
 * reputation and member policies) however many instances run. Operators' actions on a GPU or a
 * member lock the row too (and wait for a job that holds it), so a job never writes a status it
 * loaded before an operator's leave over it, nor the other way round.
 */
@ApplicationScoped
class PoolsJobs {

    private final PoolGpus gpus;
    private final Memberships memberships;
    private final Chain chain;
    private final Epochs epochs;
    private final PoolsConfig config;
    private final Clock clock;

    PoolsJobs(PoolGpus gpus, Memberships memberships, Chain chain, Epochs epochs, PoolsConfig config, Clock clock) {
        this.gpus = gpus;
        this.memberships = memberships;
        this.chain = chain;
        this.epochs = epochs;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${bc.pools.status-interval}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void statuses() {
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> applyDueShares(now));
        QuarkusTransaction.requiringNew().run(() -> followCertificates(now));
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
        claim(PoolEntity.<PoolEntity>find("pendingFromEpoch <= ?1", epoch)).forEach(p -> p.takeDueShares(epoch));
    }

    /** REGISTERED and CERTIFIED follow the gpu module's certificates (issued, expired or revoked since). */
    void followCertificates(Instant now) {
        for (GpuEntity gpu : claim(GpuEntity.<GpuEntity>find("status in ?1", List.of(GpuStatus.REGISTERED, GpuStatus.CERTIFIED)))) {
            gpus.syncCertification(gpu, PoolEntity.findById(gpu.poolId), now);
        }
    }

    /** MINTING becomes MINTED once the chain shows the GPU NFT, or CERTIFIED again if the chain refused the mint. */
    void followMints(Instant now) {
        for (GpuEntity gpu : claim(GpuEntity.<GpuEntity>find("status", GpuStatus.MINTING))) {
            if (chain.token(AssetKind.GPU, BigInteger.valueOf(gpu.id)).isPresent()) {
                gpu.moveTo(GpuStatus.MINTED, now, "GPU NFT #" + gpu.id + " is on chain");
            } else {
                Optional<EffectStatus> effect = chain.effect(gpu.mintKey());
                if (effect.isPresent() && effect.get().status() == EffectStatus.Status.FAILED) {
                    gpu.moveTo(GpuStatus.CERTIFIED, now, "the chain refused the mint: " + effect.get().lastError());
                }
            }
        }
    }

    /** Heartbeats make a minted or offline GPU active; none for {@code offline-after} makes an active GPU offline. */
    void followHeartbeats(Instant now) {
        Instant cutoff = now.minus(config.offlineAfter());
        for (GpuEntity gpu : claim(GpuEntity.<GpuEntity>find("status in ?1 and lastHeartbeatAt >= ?2",
                List.of(GpuStatus.MINTED, GpuStatus.OFFLINE), cutoff))) {
            gpu.moveTo(GpuStatus.ACTIVE, now, "heartbeats from its node agent");
        }
        for (GpuEntity gpu : claim(GpuEntity.<GpuEntity>find("status = ?1 and (lastHeartbeatAt is null or lastHeartbeatAt < ?2)",
                GpuStatus.ACTIVE, cutoff))) {
            gpu.moveTo(GpuStatus.OFFLINE, now, "no heartbeat since " + gpu.lastHeartbeatAt);
        }
    }

    void finishLeaving(Instant now) {
        for (GpuEntity gpu : claim(GpuEntity.<GpuEntity>find("status = ?1 and leavesAt <= ?2", GpuStatus.LEAVING, now))) {
            gpu.moveTo(GpuStatus.RETIRED, now, "left the pool at the end of its notice period");
        }
        for (MemberEntity member : claim(MemberEntity.<MemberEntity>find("status = ?1 and leavesAt <= ?2", MemberEntity.Status.LEAVING, now))) {
            member.finishLeaving(now);
            AuditEntity.record(member.poolId, member.operatorId, "left", "end of the notice period", AuditEntity.POLICY, now);
        }
    }

    /** Distributed pools enforce their member policy: warn, then remove ({@link Memberships#enforcePolicies}). */
    void enforcePolicies(Instant now) {
        memberships.enforcePolicies(now);
    }

    /**
     * The rows of {@code query} that no other transaction holds, locked until this one ends
     * ({@code FOR NO KEY UPDATE SKIP LOCKED}): a database lock, so it holds across instances.
     * A row another job or an operator is changing right now is left to the next run.
     */
    static <T extends PanacheEntityBase> List<T> claim(PanacheQuery<T> query) {
        return query.withLock(LockModeType.PESSIMISTIC_WRITE).withHint(HINT_SPEC_LOCK_TIMEOUT, Timeouts.SKIP_LOCKED_MILLI).list();
    }
}
