package pools;

import java.time.Duration;
import platform.DomainException;

/**
 * What a distributed pool asks of its members: at least {@code minUptimeBps} uptime (in basis
 * points) over the trailing {@code window}, at most {@code maxFailures} times offline in it. A
 * member below it is warned; still below after {@code warningGrace}, it is removed.
 */
public record MemberPolicy(int minUptimeBps, Duration window, int maxFailures, Duration warningGrace) {

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
        if (warningGrace == null || warningGrace.isNegative()) {
            throw DomainException.invalid("policy.warningGraceHours: cannot be negative");
        }
    }
}
