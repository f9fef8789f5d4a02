package pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How an hour is divided for uptime, under two settings of {@code bc.pools.heartbeat-interval}. */
class UptimeSlotsTest {

    private static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);
    private static final Duration ONE_MINUTE = Duration.ofMinutes(1);

    @Test
    void theSameInstantFallsInTheSameSecondsOfTheHourUnderEitherInterval() {
        Instant at = Instant.parse("2024-06-01T10:10:45Z");
        assertThat(Uptime.slotsPerHour(THIRTY_SECONDS)).isEqualTo(120);
        assertThat(Uptime.slotsPerHour(ONE_MINUTE)).isEqualTo(60);
        assertThat(Uptime.slotOf(at, THIRTY_SECONDS)).isEqualTo(21); // 10:30–11:00 of the hour
        assertThat(Uptime.slotOf(at, ONE_MINUTE)).isEqualTo(10);     // 10:00–11:00, which holds it
        assertThat(Uptime.slotOf(Instant.parse("2024-06-01T10:59:59Z"), THIRTY_SECONDS)).isEqualTo(119);
        assertThat(Uptime.slotOf(Instant.parse("2024-06-01T11:00:00Z"), ONE_MINUTE)).isZero();
    }

    @Test
    void anIntervalThatDoesNotDivideAnHourIsRefusedAtStartup() {
        assertThatThrownBy(() -> Uptime.slotsPerHour(Duration.ofSeconds(7))).hasMessageContaining("divide an hour");
        assertThatThrownBy(() -> Uptime.slotsPerHour(Duration.ofMillis(1500))).hasMessageContaining("whole seconds");
        assertThatThrownBy(() -> Uptime.slotsPerHour(Duration.ZERO)).hasMessageContaining("heartbeat-interval");
        assertThat(Uptime.slotsPerHour(Duration.ofSeconds(45))).isEqualTo(80);
        assertThat(Uptime.slotsPerHour(Duration.ofHours(1))).isEqualTo(1);
    }

    @Test
    void aWindowInsideAnHourCountsTheSecondsOfEachOnlineIntervalInsideIt() {
        String mask = "1011"; // four 15-minute intervals, the second offline
        assertThat(Uptime.secondsWithin(mask, 0, 0, 3600)).isEqualTo(2700);
        assertThat(Uptime.secondsWithin(mask, 0, 0, 120)).isEqualTo(120);
        assertThat(Uptime.secondsWithin(mask, 0, 900, 1800)).isZero();
        assertThat(Uptime.secondsWithin(mask, 0, 840, 1860)).as("a minute of each neighbour").isEqualTo(120);
        long sum = 0;
        for (long from = 0; from < 3600; from += 120) {
            sum += Uptime.secondsWithin(mask, 0, from, from + 120);
        }
        assertThat(sum).as("two-minute epochs add up to the hour").isEqualTo(2700);
        assertThat(Uptime.secondsWithin(mask, 3600, 0, 3600)).as("another hour").isZero();
    }
}
