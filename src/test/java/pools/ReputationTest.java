package pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Reputation#of}: round(60·uptime + 25·certification margin + 15·reliability), no database. */
class ReputationTest {

    @Test
    void aPoolWithoutGpusInServiceIsNotRated() {
        Reputation none = Reputation.of(0, 0, List.of(), 0, 0);
        assertThat(none.rated()).isFalse();
        assertThat(none.score()).isZero();
        assertThat(none.formula()).isEqualTo(Reputation.FORMULA);
    }

    /**
     * Rated cases, worked by hand: gpus, uptime (bps), each certified GPU's lowest margin
     * ("-" for none), failures → score, margin score (bps), reliability (bps).
     */
    @ParameterizedTest(name = "{0} GPUs, uptime {1} bps, margins {2}, {3} failures: score {4}")
    @CsvSource({
            "1,  10000, 1.1,              0, 100, 10000, 10000",  // everything perfect
            "1,      0, 0.9,              0,  15,     0, 10000",  // never up, margin at the floor: reliability alone
            "1,  10000, 1.0,              0,  88,  5000, 10000",  // 60 + 12.5 + 15 = 87.5, rounded half up
            "2,   5000, -,                2,  50,  5000,  5000",  // no certificate counts as 1.0; one failure per GPU halves R
            "1,  10000, 1.5,              0, 100, 10000, 10000",  // margins above 1.1 are clamped to 1
            "1,  10000, 0.5,              0,  75,     0, 10000",  // margins below 0.9 are clamped to 0
            "2,  10000, 0.95 1.05,        0,  88,  5000, 10000",  // the mean of the GPUs' lowest margins
            "4,   9000, 1.02 1.04 1.06,   1,  84,  7000,  8000",  // 54 + 17.5 + 12 = 83.5
            "3,   9990, 1.2 1.2 1.2,      9,  89, 10000,  2500",  // three failures per GPU: R = 1/4
            "1,  10000, 1.1,              1,  93, 10000,  5000",  // one GPU offline once: 60 + 25 + 7.5
            "10,  9950, 1.08,             0,  97,  9000, 10000",  // only one of ten GPUs has a certificate read
    })
    void aRatedPoolScoresItsUptimeMarginAndReliability(int gpus, int uptimeBps, String margins, int failures,
                                                      int score, int marginScoreBps, int reliabilityBps) {
        Reputation reputation = Reputation.of(gpus, uptimeBps, margins(margins), failures, 0);
        assertThat(reputation.rated()).isTrue();
        assertThat(reputation.score()).isEqualTo(score);
        assertThat(reputation.marginScoreBps()).isEqualTo(marginScoreBps);
        assertThat(reputation.reliabilityBps()).isEqualTo(reliabilityBps);
        assertThat(reputation.uptimeBps()).isEqualTo(uptimeBps);
        assertThat(reputation.failures()).isEqualTo(failures);
    }

    @Test
    void theScoreStaysWithinZeroToAHundredAndNeverFallsWithMoreUptimeOrFewerFailures() {
        Random random = new Random(8);
        for (int i = 0; i < 10_000; i++) {
            int gpus = 1 + random.nextInt(50);
            int uptime = random.nextInt(10_001);
            int failures = random.nextInt(200);
            List<Double> margins = new ArrayList<>();
            for (int g = random.nextInt(gpus + 1); g > 0; g--) {
                margins.add(0.5 + random.nextDouble());
            }
            Reputation reputation = Reputation.of(gpus, uptime, margins, failures, 0);
            assertThat(reputation.score()).isBetween(0, 100);
            assertThat(reputation.marginScoreBps()).isBetween(0, 10_000);
            assertThat(reputation.reliabilityBps()).isBetween(1, 10_000);
            assertThat(Reputation.of(gpus, Math.min(10_000, uptime + 100), margins, failures, 0).score())
                    .as("more uptime").isGreaterThanOrEqualTo(reputation.score());
            assertThat(Reputation.of(gpus, uptime, margins, Math.max(0, failures - 1), 0).score())
                    .as("one failure fewer").isGreaterThanOrEqualTo(reputation.score());
            assertThat(Reputation.of(gpus, uptime, margins, failures, 1 + random.nextInt(5)).score())
                    .as("failed spot checks besides").isLessThanOrEqualTo(reputation.score());
        }
    }

    @Test
    void countsAndUptimeOutsideTheirRangeAreAProgrammingError() {
        assertThatThrownBy(() -> Reputation.of(-1, 0, List.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reputation.of(1, 10_001, List.of(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reputation.of(1, 0, List.of(), -1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Reputation.of(1, 0, List.of(), 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A GPU-hour with a failed spot check is a failure of the same weight as going offline once:
     * gpus, uptime, margin, times offline, failed spot-check hours → score, reliability, failures.
     */
    @ParameterizedTest(name = "{0} GPUs, {3} times offline, {4} failed spot-check hours: score {5}")
    @CsvSource({
            "1, 10000, 1.1, 0, 1,  93,  5000, 1",  // one failed hour: R halves, 60 + 25 + 7.5
            "1, 10000, 1.1, 1, 0,  93,  5000, 1",  // the same as going offline once
            "2, 10000, 1.1, 1, 1,  93,  5000, 2",  // one of each over two GPUs: one per GPU
            "4, 10000, 1.1, 0, 12, 89,  2500, 12", // three failed hours per GPU: R = 1/4
            "1,     0, 0.9, 0, 0,  15, 10000, 0",  // no failure: reliability whole
    })
    void aHourWithAFailedSpotCheckCountsAsOneFailure(int gpus, int uptimeBps, double margin, int offline, int spotHours,
                                                    int score, int reliabilityBps, int failures) {
        Reputation reputation = Reputation.of(gpus, uptimeBps, List.of(margin), offline, spotHours);
        assertThat(reputation.score()).isEqualTo(score);
        assertThat(reputation.reliabilityBps()).isEqualTo(reliabilityBps);
        assertThat(reputation.failures()).as("times offline and failed hours together").isEqualTo(failures);
        assertThat(reputation.failedSpotChecks()).isEqualTo(spotHours);
        assertThat(reputation).as("a failed hour weighs what a time offline does")
                .usingRecursiveComparison().ignoringFields("failedSpotChecks")
                .isEqualTo(Reputation.of(gpus, uptimeBps, List.of(margin), offline + spotHours, 0));
    }

    private static List<Double> margins(String spaced) {
        return spaced.equals("-") ? List.of() : Arrays.stream(spaced.trim().split(" +")).map(Double::valueOf).toList();
    }
}
