package pools;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import platform.DomainException;

/** An operator's membership of a distributed pool. Changes go through its methods, each one audited by the caller. */
@Entity
@Table(name = "pools_member")
@IdClass(MemberEntity.Key.class)
class MemberEntity extends PanacheEntityBase {

    enum Status { REQUESTED, ACTIVE, WARNED, LEAVING, REFUSED, REMOVED, LEFT }

    @Id
    @Column(name = "pool_id")
    public Long poolId;

    @Id
    @Column(name = "operator_id")
    public Long operatorId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    public String message;

    @Column(name = "requested_at", nullable = false)
    public Instant requestedAt;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "warned_at")
    public Instant warnedAt;

    @Column(name = "leaves_at")
    public Instant leavesAt;

    /** The membership, locked until the change commits (every caller changes it), or a 404. */
    static MemberEntity locked(long poolId, long operatorId) {
        return MemberEntity.<MemberEntity>findByIdOptional(new Key(poolId, operatorId), LockModeType.PESSIMISTIC_WRITE)
                .orElseThrow(() -> DomainException.notFound("Operator " + operatorId + " has not asked to join pool " + poolId));
    }

    /** Whether the operator may register GPUs to the pool as a member: active, or warned and still in. */
    boolean mayRegisterGpus() {
        return status == Status.ACTIVE || status == Status.WARNED;
    }

    boolean isMember() {
        return status == Status.ACTIVE || status == Status.WARNED || status == Status.LEAVING;
    }

    void approve(Instant now) {
        require(status == Status.REQUESTED, "approve a request that is " + status.name().toLowerCase());
        status = Status.ACTIVE;
        decidedAt = now;
    }

    void refuse(Instant now) {
        require(status == Status.REQUESTED, "refuse a request that is " + status.name().toLowerCase());
        status = Status.REFUSED;
        decidedAt = now;
    }

    void warn(Instant now) {
        require(status == Status.ACTIVE, "warn a member that is " + status.name().toLowerCase());
        status = Status.WARNED;
        warnedAt = now;
    }

    void clearWarning() {
        require(status == Status.WARNED, "clear a warning of a member that is " + status.name().toLowerCase());
        status = Status.ACTIVE;
        warnedAt = null;
    }

    void remove(Instant now) {
        require(isMember(), "remove an operator that is " + status.name().toLowerCase());
        status = Status.REMOVED;
        decidedAt = now;
    }

    void startLeaving(Instant leavesAt) {
        require(status == Status.ACTIVE || status == Status.WARNED, "leave while " + status.name().toLowerCase());
        status = Status.LEAVING;
        this.leavesAt = leavesAt;
    }

    void finishLeaving(Instant now) {
        require(status == Status.LEAVING, "finish leaving while " + status.name().toLowerCase());
        status = Status.LEFT;
        decidedAt = now;
    }

    private static void require(boolean allowed, String what) {
        if (!allowed) {
            throw DomainException.conflict("Cannot " + what);
        }
    }

    static class Key implements Serializable {
        public Long poolId;
        public Long operatorId;

        public Key() {
        }

        Key(Long poolId, Long operatorId) {
            this.poolId = poolId;
            this.operatorId = operatorId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.poolId, poolId) && Objects.equals(k.operatorId, operatorId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(poolId, operatorId);
        }
    }
}
