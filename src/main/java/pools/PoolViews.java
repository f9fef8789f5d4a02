package pools;

import chain.AssetKind;
import chain.Chain;
import chain.Token;
import gpu.Certificate;
import gpu.Certification;
import gpu.GpuModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import platform.Epochs;

/**
 * The records the facade returns, made from entities, with what they show from elsewhere: the
 * chain's NFTs, the gpu module's model names and certificates, uptime and failures. Reads only.
 */
@ApplicationScoped
class PoolViews {

    private static final Duration REPUTATION_WINDOW = Duration.ofDays(30);

    private final Operators operators;
    private final Chain chain;
    private final Certification certification;
    private final Uptime uptime;
    private final SpotCheckRule spotCheckRule;
    private final Epochs epochs;
    private final Clock clock;

    PoolViews(Operators operators, Chain chain, Certification certification, Uptime uptime, SpotCheckRule spotCheckRule, Epochs epochs,
              Clock clock) {
        this.operators = operators;
        this.chain = chain;
        this.certification = certification;
        this.uptime = uptime;
        this.spotCheckRule = spotCheckRule;
        this.epochs = epochs;
        this.clock = clock;
    }

    OperatorView operator(OperatorEntity operator) {
        Optional<Token> nft = operators.nft(operator);
        return new OperatorView(operator.id, operator.name, operators.holder(operator).value(), nft.isPresent(),
                nft.map(Token::mintedTx).orElse(null));
    }

    PoolView pool(PoolEntity pool) {
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
        return new PoolView(pool.id, pool.name, operator(operator), pool.mode, pool.modelId, modelName, pool.region,
                pool.prices(), pool.shares(), pending, pool.noticePeriodIn(epoch), pool.policyIn(epoch),
                new PoolView.Size(gpus.size(), inService, active), reputation(pool), pendingTerms);
    }

    /**
     * The reputation of a pool over the last 30 days: its GPUs in service, measured ({@link Reputation#of}),
     * with their times offline and their hours with a failed spot check as failures.
     */
    private Reputation reputation(PoolEntity pool) {
        List<GpuEntity> gpus = GpuEntity.list("poolId = ?1 and status in ?2", pool.id, GpuStatus.IN_SERVICE);
        if (gpus.isEmpty()) {
            return Reputation.unrated();
        }
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(clock.instant()) * 3600);
        Instant from = to.minus(REPUTATION_WINDOW);
        List<Long> ids = gpus.stream().map(g -> g.id).toList();
        List<Double> lowestMargins = gpus.stream()
                .map(g -> g.certificateHash == null ? Optional.<Certificate>empty() : certification.certificate(g.certificateHash))
                .flatMap(Optional::stream)
                .map(c -> c.figures().values().stream().mapToDouble(f -> f.margin().doubleValue()).min().orElse(1.0))
                .toList();
        return Reputation.of(gpus.size(), uptime.uptimeBps(ids, from, to), lowestMargins, GpuEventEntity.failures(ids, from, to),
                spotCheckRule.failedHours(gpus, from, to));
    }

    GpuView gpu(GpuEntity gpu) {
        PoolEntity pool = PoolEntity.findById(gpu.poolId);
        Optional<Token> nft = chain.token(AssetKind.GPU, BigInteger.valueOf(gpu.id)).filter(t -> !t.burned());
        return new GpuView(gpu.id, gpu.poolId, pool.name, gpu.operatorId, gpu.hostName, gpu.serialNumber, gpu.gpuUuid, gpu.status,
                gpu.certificateHash, nft.map(Token::owner).orElse(null), nft.map(Token::mintedTx).orElse(null),
                gpu.purchaseDate, gpu.inServiceDate, gpu.lastHeartbeatAt, gpu.leavesAt, gpu.registeredAt,
                gpu.mintRefusal(chain).orElse(null), gpu.mintTo);
    }

    GpuEvent event(GpuEventEntity event) {
        return new GpuEvent(event.fromStatus, event.toStatus, event.reason, event.at);
    }

    /** A member with its GPUs in service, and their uptime and failures over the window of the policy in force. */
    MemberView member(MemberEntity member) {
        Instant now = clock.instant();
        PoolEntity pool = PoolEntity.findById(member.poolId);
        OperatorEntity operator = OperatorEntity.findById(member.operatorId);
        List<Long> gpus = GpuEntity.inService(pool.id, Optional.of(member.operatorId));
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(now) * 3600);
        Instant from = to.minus(pool.policyIn(epochs.epochAt(now)).window());
        return new MemberView(pool.id, member.operatorId, operator.name, operators.holder(operator).value(),
                member.status.name(), member.message, member.requestedAt, member.warnedAt, member.leavesAt, gpus.size(),
                uptime.uptimeBps(gpus, from, to), GpuEventEntity.failures(gpus, from, to));
    }

    AuditView audit(AuditEntity entry) {
        return new AuditView(entry.operatorId, entry.action, entry.reason, entry.actor, entry.at);
    }
}
