package pools;

import gpu.SpotResult;
import java.time.Instant;

/**
 * One spot check of a GPU (proof of GPU), as its operator sees it.
 *
 * @param outcome              PASSED (answered right within the deadline), FAILED (late, wrong or no answer) or OPEN
 * @param elapsedMs            the server's measured time to the GPU's answer, if it answered
 * @param deadlineMs           the time the GPU had
 * @param reason               why it failed (or what the server noted), if anything
 * @param hourWithoutPoolShare for a failed check, the start of the clock hour (UTC) in which the GPU therefore counts no
 *                             online seconds and earns no pool share; null otherwise
 */
public record SpotCheck(Instant startsAt, Outcome outcome, Integer elapsedMs, Integer deadlineMs, String reason,
                        Instant hourWithoutPoolShare) {

    public enum Outcome { PASSED, FAILED, OPEN }

    static SpotCheck of(SpotResult result) {
        Outcome outcome = result.passed() == null ? Outcome.OPEN : result.passed() ? Outcome.PASSED : Outcome.FAILED;
        Instant hour = outcome == Outcome.FAILED ? Instant.ofEpochSecond(Uptime.hourOf(result.startsAt()) * 3600) : null;
        return new SpotCheck(result.startsAt(), outcome, result.elapsedMs(), result.deadlineMs(), result.reason(), hour);
    }
}
