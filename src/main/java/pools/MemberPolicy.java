package pools;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import platform.DomainException;

/**
 * What a distributed pool asks of its members: at least {@code minUptimeBps} uptime (in basis
 * points) over the trailing {@code window}, at most {@code maxFailures} times offline in it. A
 * member below it is warned; still below after {@code warningGrace}, it is removed.
 */
public record MemberPolicy(int minUptimeBps, Duration window, int maxFailures, Duration warningGrace) {

    /** More failures than this in one window is no policy at all. */
    public static final int MAX_FAILURES = 10_000;

    public MemberPolicy {
        if (minUptimeBps < 0 || minUptimeBps > 10_000) {
            throw DomainException.invalid("policy.minUptimePercent: between 0 and 100");
        }
        if (window == null || window.toHours() < 1) {
            throw DomainException.invalid("policy.windowHours: the uptime window is at least one hour");
        }
        if (maxFailures < 0) {
            throw DomainException.invalid("policy.maxFailures: cannot be negative");
        }
        if (maxFailures > MAX_FAILURES) {
            throw DomainException.invalid("policy.maxFailures: at most " + String.format("%,d", MAX_FAILURES));
        }
        if (warningGrace == null || warningGrace.isNegative()) {
            throw DomainException.invalid("policy.warningGraceHours: cannot be negative");
        }
    }

    /** What the policy does with a member after measuring it. */
    public enum Verdict {
        /** Nothing changes: above the policy and not warned, or warned and still within the grace. */
        KEEP,
        /** Below the policy for the first time: warned. */
        WARN,
        /** Still below once the warning's grace is over: removed. */
        REMOVE,
        /** Warned, and back above the policy: the warning is cleared. */
        CLEAR_WARNING
    }

    /**
     * The verdict on a member whose GPUs had {@code uptimeBps} over the window and went offline
     * {@code failures} times in it, warned since {@code warnedAt} (empty: not warned), at {@code now}.
     * Below the policy means uptime under the minimum or more failures than allowed.
     */
    public Verdict judge(int uptimeBps, int failures, Optional<Instant> warnedAt, Instant now) {
        boolean below = uptimeBps < minUptimeBps || failures > maxFailures;
        if (below && warnedAt.isEmpty()) {
            return Verdict.WARN;
        }
        if (below) {
            return now.isBefore(warnedAt.get().plus(warningGrace)) ? Verdict.KEEP : Verdict.REMOVE;
        }
        return warnedAt.isPresent() ? Verdict.CLEAR_WARNING : Verdict.KEEP;
    }

    /**
     * Whether this policy asks no more of a member than {@code other} in any respect: no higher
     * minimum uptime, no fewer failures allowed, no shorter grace, over the same window (a different
     * window is neither stricter nor looser: it measures something else).
     */
    public boolean noStricterThan(MemberPolicy other) {
        return minUptimeBps <= other.minUptimeBps && maxFailures >= other.maxFailures
                && warningGrace.compareTo(other.warningGrace) >= 0 && window.equals(other.window);
    }
}
