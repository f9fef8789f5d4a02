package pools;

import static org.assertj.core.api.Assertions.assertThat;

import gpu.SpotResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import pools.SpotCheckRule.GpuHour;

/** {@link SpotCheckRule#failedHours}: which GPU-hours a window's spot checks take the online seconds of, no database. */
class SpotCheckHoursTest {

    private static final Instant TEN = Instant.parse("2026-02-10T10:00:00Z");
    private static final long HOUR_10 = TEN.getEpochSecond() / 3600;
    private static final Map<String, List<Long>> IDS = Map.of("GPU-a", List.of(1L), "GPU-b", List.of(2L), "GPU-again", List.of(3L, 4L));

    private static SpotResult check(String uuid, Instant at, Boolean passed) {
        return new SpotResult(uuid, at, passed, passed == null ? null : passed ? null : "late", 1_000, 900);
    }

    private static Set<GpuHour> failedHours(long from, long to, SpotResult... checks) {
        return SpotCheckRule.failedHours(List.of(checks), IDS, Set.of(1L, 2L, 3L, 4L), from, to);
    }

    @Test
    void aFailedCheckTakesTheClockHourItStartedInFromItsFirstSecondToItsLast() {
        long from = TEN.getEpochSecond() - 7200;
        long to = TEN.getEpochSecond() + 7200;
        assertThat(failedHours(from, to, check("GPU-a", TEN, false))).containsExactly(new GpuHour(1, HOUR_10));
        assertThat(failedHours(from, to, check("GPU-a", TEN.plusSeconds(3599).plusMillis(999), false)))
                .containsExactly(new GpuHour(1, HOUR_10));
        assertThat(failedHours(from, to, check("GPU-a", TEN.minusMillis(1), false))).containsExactly(new GpuHour(1, HOUR_10 - 1));
    }

    @Test
    void severalFailuresInAnHourTakeItOnceAndPassedOrOpenChecksNothing() {
        long from = TEN.getEpochSecond();
        long to = from + 3600;
        assertThat(failedHours(from, to, check("GPU-a", TEN.plusSeconds(60), false), check("GPU-a", TEN.plusSeconds(3000), false),
                check("GPU-b", TEN.plusSeconds(60), true), check("GPU-b", TEN.plusSeconds(600), null)))
                .containsExactly(new GpuHour(1, HOUR_10));
    }

    @Test
    void anHourCountsWhenItMeetsTheWindowEvenIfTheWindowCutsIt() {
        long half = TEN.getEpochSecond() + 1800;
        SpotResult failed = check("GPU-a", TEN.plusSeconds(60), false);
        assertThat(failedHours(half, half + 120, failed)).as("a two-minute epoch inside the hour").hasSize(1);
        assertThat(failedHours(half - 3600, half, failed)).as("an epoch that ends half way into it").hasSize(1);
        assertThat(failedHours(TEN.getEpochSecond() + 3600, half + 3600, failed)).as("an epoch after the hour").isEmpty();
        assertThat(failedHours(half - 7200, TEN.getEpochSecond(), failed)).as("an epoch that ends where the hour begins").isEmpty();
    }

    @Test
    void everyPoolGpuOfTheUuidAmongThoseAskedForIsTakenAndUnknownUuidsAreIgnored() {
        long from = TEN.getEpochSecond();
        assertThat(failedHours(from, from + 3600, check("GPU-again", TEN, false), check("GPU-elsewhere", TEN, false)))
                .containsExactlyInAnyOrder(new GpuHour(3, HOUR_10), new GpuHour(4, HOUR_10));
        assertThat(SpotCheckRule.failedHours(List.of(check("GPU-a", TEN, false)), IDS, Set.of(2L), from, from + 3600))
                .as("GPU 1 is not among those asked for").isEmpty();
    }
}
