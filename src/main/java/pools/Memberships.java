package pools;

import static pools.Input.text;

import accounts.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import platform.DomainException;

/**
 * The members of distributed pools: an operator asks to join; the pool's operator approves,
 * refuses or removes it with a reason; a member leaves after the notice period with all its GPUs
 * there; the member policy warns, then removes, a member below it ({@link MemberPolicy#judge}).
 * Every change is in the pool's audit log with who (a wallet, or {@link AuditEntity#POLICY}) and why.
 */
@ApplicationScoped
class Memberships {

    private final Operators operators;
    private final PoolGpus gpus;
    private final Uptime uptime;
    private final Clock clock;

    Memberships(Operators operators, PoolGpus gpus, Uptime uptime, Clock clock) {
        this.operators = operators;
        this.gpus = gpus;
        this.uptime = uptime;
        this.clock = clock;
    }

    MemberEntity requestToJoin(Caller caller, long poolId, long operatorId, String message) {
        OperatorEntity operator = operators.requireRights(caller, operatorId);
        PoolEntity pool = PoolEntity.existing(poolId);
        if (pool.mode != PoolMode.DISTRIBUTED) {
            throw DomainException.conflict("Pool " + poolId + " is not a distributed pool: it takes no members");
        }
        if (pool.operatorId.longValue() == operator.id.longValue()) {
            throw DomainException.conflict("Operator " + operatorId + " runs pool " + poolId + " already");
        }
        Instant now = clock.instant();
        MemberEntity member = MemberEntity.findById(new MemberEntity.Key(poolId, operatorId));
        if (member != null && (member.isMember() || member.status == MemberEntity.Status.REQUESTED)) {
            throw DomainException.conflict("Operator " + operatorId + " is already " + member.status.name().toLowerCase()
                    + " in pool " + poolId);
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
        return member;
    }

    MemberEntity approve(Caller caller, long poolId, long operatorId) {
        ownPool(caller, poolId);
        MemberEntity member = MemberEntity.locked(poolId, operatorId);
        Instant now = clock.instant();
        member.approve(now);
        AuditEntity.record(poolId, operatorId, "approved", null, caller.address().value(), now);
        return member;
    }

    MemberEntity refuse(Caller caller, long poolId, long operatorId, String reason) {
        ownPool(caller, poolId);
        String why = Input.reasonOr(reason, null);
        MemberEntity member = MemberEntity.locked(poolId, operatorId);
        Instant now = clock.instant();
        member.refuse(now);
        AuditEntity.record(poolId, operatorId, "refused", why, caller.address().value(), now);
        return member;
    }

    /** Removes a member by hand; a reason is required and kept in the audit log. */
    MemberEntity kick(Caller caller, long poolId, long operatorId, String reason) {
        PoolEntity pool = ownPool(caller, poolId);
        String why = text("reason", reason, Pools.MAX_REASON);
        MemberEntity member = MemberEntity.locked(poolId, operatorId);
        remove(member, pool, clock.instant(), why, caller.address().value());
        return member;
    }

    /** A member leaves a distributed pool: after the notice period, with all its GPUs there. */
    MemberEntity leave(Caller caller, long poolId, long operatorId) {
        operators.requireRights(caller, operatorId);
        PoolEntity pool = PoolEntity.existing(poolId);
        MemberEntity member = MemberEntity.locked(poolId, operatorId);
        Instant now = clock.instant();
        Instant leavesAt = now.plus(gpus.noticePeriodAt(pool, now));
        for (GpuEntity gpu : GpuEntity.lockedOf(poolId, operatorId)) {
            gpus.guardLeaving(gpu, pool, leavesAt);
        }
        member.startLeaving(leavesAt);
        for (GpuEntity gpu : GpuEntity.lockedOf(poolId, operatorId)) {
            gpus.retireOrLeave(gpu, pool, now, "its operator is leaving the pool");
        }
        AuditEntity.record(poolId, operatorId, "leaving", "leaves at " + leavesAt, caller.address().value(), now);
        return member;
    }

    List<MemberEntity> members(long poolId) {
        PoolEntity.existing(poolId);
        return MemberEntity.list("poolId = ?1 order by requestedAt", poolId);
    }

    List<AuditEntity> audit(long poolId) {
        return AuditEntity.list("poolId = ?1 order by at desc, id desc", poolId);
    }

    /**
     * For each member of a distributed pool with GPUs in service, the policy's verdict on its uptime
     * and failures over the window: warned, removed (its GPUs start leaving), its warning cleared,
     * or kept. Members another instance holds are left to it ({@link PoolsJobs#claim}).
     */
    void enforcePolicies(Instant now) {
        Instant to = Instant.ofEpochSecond(Uptime.hourOf(now) * 3600);
        for (PoolEntity pool : PoolEntity.<PoolEntity>list("mode", PoolMode.DISTRIBUTED)) {
            MemberPolicy policy = pool.policy();
            Instant from = to.minus(policy.window());
            for (MemberEntity member : PoolsJobs.claim(MemberEntity.<MemberEntity>find("poolId = ?1 and status in ?2", pool.id,
                    List.of(MemberEntity.Status.ACTIVE, MemberEntity.Status.WARNED)))) {
                List<Long> inService = GpuEntity.inService(pool.id, Optional.of(member.operatorId));
                if (inService.isEmpty()) {
                    continue; // nothing to measure yet
                }
                int uptimeBps = uptime.uptimeBps(inService, from, to);
                int failures = GpuEventEntity.failures(inService, from, to);
                Optional<Instant> warned = member.status == MemberEntity.Status.WARNED ? Optional.of(member.warnedAt) : Optional.empty();
                String measured = String.format("uptime %s%% (minimum %s%%), %d failures (at most %d) over %d h",
                        percent(uptimeBps), percent(policy.minUptimeBps()), failures, policy.maxFailures(), policy.window().toHours());
                switch (policy.judge(uptimeBps, failures, warned, now)) {
                    case WARN -> {
                        member.warn(now);
                        AuditEntity.record(pool.id, member.operatorId, "warned", measured, AuditEntity.POLICY, now);
                    }
                    case REMOVE -> remove(member, pool, now, measured, AuditEntity.POLICY);
                    case CLEAR_WARNING -> {
                        member.clearWarning();
                        AuditEntity.record(pool.id, member.operatorId, "warning cleared", measured, AuditEntity.POLICY, now);
                    }
                    case KEEP -> {
                    }
                }
            }
        }
    }

    /** Removes a member (by hand or by policy); its GPUs in the pool retire or start leaving. */
    private void remove(MemberEntity member, PoolEntity pool, Instant now, String reason, String actor) {
        member.remove(now);
        for (GpuEntity gpu : GpuEntity.lockedOf(pool.id, member.operatorId)) {
            gpus.retireOrLeave(gpu, pool, now, "its operator was removed from the pool: " + reason);
        }
        AuditEntity.record(pool.id, member.operatorId, "removed", reason, actor, now);
    }

    private PoolEntity ownPool(Caller caller, long poolId) {
        PoolEntity pool = PoolEntity.existing(poolId);
        operators.requireRights(caller, pool.operatorId);
        return pool;
    }

    private static String percent(int bps) {
        return String.format("%d.%02d", bps / 100, bps % 100);
    }
}
