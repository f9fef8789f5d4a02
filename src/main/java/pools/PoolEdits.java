package pools;

import static pools.Input.required;
import static pools.Input.text;

import accounts.Caller;
import gpu.Certification;
import gpu.GpuModel;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import platform.DomainException;
import platform.Epochs;

/**
 * Creating and editing pools. Every part of a spec is bounded by the settings before it is kept;
 * the parts that bind others (reward shares, a longer notice period, a stricter member policy) are
 * announced and apply from the first epoch that starts at least {@code bc.pools.share-change-notice}
 * from now. A spec is parsed only once the caller is known to have the operator's rights.
 */
@ApplicationScoped
class PoolEdits {

    private final Operators operators;
    private final Certification certification;
    private final Epochs epochs;
    private final PoolsConfig config;
    private final Clock clock;

    PoolEdits(Operators operators, Certification certification, Epochs epochs, PoolsConfig config, Clock clock) {
        this.operators = operators;
        this.certification = certification;
        this.epochs = epochs;
        this.config = config;
        this.clock = clock;
    }

    PoolEntity create(Caller caller, long operatorId, Supplier<PoolSpec> parse) {
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        PoolSpec spec = parse.get();
        GpuModel model = model(spec.modelId());
        required(spec.name(), "name");
        required(spec.region(), "region");
        required(spec.prices(), "prices");
        required(spec.noticePeriod(), "noticePeriodHours");
        required(spec.policy(), "policy");
        Instant now = clock.instant();
        PoolEntity pool = new PoolEntity();
        pool.id = PoolEntity.nextId();
        pool.operatorId = operator.id;
        pool.mode = required(spec.mode(), "mode");
        pool.modelId = model.id();
        pool.createdAt = now;
        applyEdits(pool, spec, now);
        pool.noticePeriodSeconds = bounded(spec.noticePeriod()).toSeconds();
        pool.setPolicy(bounded(spec.policy()));
        RewardShares shares = required(spec.shares(), "shares");
        pool.operatorBps = shares.operatorBps();
        pool.poolBps = shares.poolBps();
        pool.usedGpuBps = shares.usedGpuBps();
        pool.persistAndFlush(); // the history's row refers to it
        pool.recordShares(epochs.epochAt(now));
        return pool;
    }

    /**
     * Name, region and prices change at once, and so do a shorter notice period and a policy that is
     * nowhere stricter; the rest is announced. Mode and model change only while no GPU is registered.
     */
    PoolEntity update(Caller caller, long poolId, Supplier<PoolSpec> parse) {
        PoolEntity pool = PoolEntity.locked(poolId);
        operators.requireRights(caller, pool.operatorId);
        PoolSpec spec = parse.get();
        Instant now = clock.instant();
        pool.applyDueTerms(epochs.epochAt(now));
        pool.takeDueShares(epochs.epochAt(now)); // before a new announcement can replace a change that is due
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
        return pool;
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

    private GpuModel model(String modelId) {
        if (modelId == null || modelId.isBlank()) {
            throw DomainException.invalid("modelId: choose the pool's GPU model from GET /api/gpu/models");
        }
        return certification.model(modelId)
                .orElseThrow(() -> DomainException.invalid("modelId: '" + modelId + "' is not in the GPU model table (GET /api/gpu/models)"));
    }
}
