package pools;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import pools.MemberPolicy.Verdict;

/** {@link MemberPolicy#judge}: warn below the policy, remove once the grace is over, clear on recovery. No database. */
class MemberPolicyTest {

    private static final Instant WARNED_AT = Instant.parse("2030-03-01T12:00:00Z");
    /** 95 % over 24 h, at most 3 failures, 24 h grace: the test pools' policy. */
    private static final MemberPolicy POLICY = new MemberPolicy(9_500, Duration.ofHours(24), 3, Duration.ofHours(24));

    /** uptime (bps), failures, hours since the warning ("-": not warned), verdict. */
    @ParameterizedTest(name = "uptime {0} bps, {1} failures, warned {2} h ago: {3}")
    @CsvSource({
            "10000, 0,  -,     KEEP",           // well above
            " 9500, 3,  -,     KEEP",           // exactly at the minimum and at the most failures: not below
            " 9499, 0,  -,     WARN",           // one basis point short
            "10000, 4,  -,     WARN",           // one failure too many, however good the uptime
            "    0, 0,  -,     WARN",           // never up
            " 9499, 0,  0,     KEEP",           // warned just now: within the grace
            " 9499, 0,  23.99, KEEP",           // still within the grace
            " 9499, 0,  24,    REMOVE",         // the grace is over: removed at its end, not after
            "    0, 9,  100,   REMOVE",         // long over
            " 9500, 3,  1,     CLEAR_WARNING",  // back at the policy
            "10000, 0,  48,    CLEAR_WARNING",  // recovered, even after the grace: the warning is cleared, not acted on
    })
    void theVerdictFollowsTheMeasurementAndTheWarning(int uptimeBps, int failures, String hoursSinceWarning, Verdict verdict) {
        Optional<Instant> warned = hoursSinceWarning.equals("-") ? Optional.empty() : Optional.of(WARNED_AT);
        Instant now = WARNED_AT.plusSeconds(hoursSinceWarning.equals("-") ? 3600 : Math.round(Double.parseDouble(hoursSinceWarning) * 3600));
        assertThat(POLICY.judge(uptimeBps, failures, warned, now)).isEqualTo(verdict);
    }

    @Test
    void withoutAGraceAWarnedMemberStillBelowIsRemovedAtOnce() {
        MemberPolicy noGrace = new MemberPolicy(9_500, Duration.ofHours(24), 3, Duration.ZERO);
        assertThat(noGrace.judge(9_000, 0, Optional.empty(), WARNED_AT)).isEqualTo(Verdict.WARN);
        assertThat(noGrace.judge(9_000, 0, Optional.of(WARNED_AT), WARNED_AT)).isEqualTo(Verdict.REMOVE);
    }

    @Test
    void aPolicyAskingNothingNeverActs() {
        MemberPolicy lenient = new MemberPolicy(0, Duration.ofHours(1), MemberPolicy.MAX_FAILURES, Duration.ZERO);
        assertThat(lenient.judge(0, MemberPolicy.MAX_FAILURES, Optional.empty(), WARNED_AT)).isEqualTo(Verdict.KEEP);
        assertThat(lenient.judge(0, MemberPolicy.MAX_FAILURES + 1, Optional.empty(), WARNED_AT)).isEqualTo(Verdict.WARN);
    }

    @Test
    void aMemberAtOrAboveThePolicyIsNeverWarnedOrRemovedAndOneBelowIsRemovedOnlyOnceWarnedForTheGrace() {
        Random random = new Random(19);
        for (int i = 0; i < 10_000; i++) {
            MemberPolicy policy = new MemberPolicy(random.nextInt(10_001), Duration.ofHours(1 + random.nextInt(720)),
                    random.nextInt(20), Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
            int uptime = random.nextInt(10_001);
            int failures = random.nextInt(25);
            Optional<Instant> warned = random.nextBoolean() ? Optional.of(WARNED_AT) : Optional.empty();
            Instant now = WARNED_AT.plusSeconds(random.nextInt(4 * 24 * 3600));
            boolean below = uptime < policy.minUptimeBps() || failures > policy.maxFailures();
            Verdict verdict = policy.judge(uptime, failures, warned, now);
            if (!below) {
                assertThat(verdict).isEqualTo(warned.isPresent() ? Verdict.CLEAR_WARNING : Verdict.KEEP);
            } else if (warned.isEmpty()) {
                assertThat(verdict).isEqualTo(Verdict.WARN);
            } else {
                boolean graceOver = !now.isBefore(WARNED_AT.plus(policy.warningGrace()));
                assertThat(verdict).isEqualTo(graceOver ? Verdict.REMOVE : Verdict.KEEP);
            }
        }
    }
}
