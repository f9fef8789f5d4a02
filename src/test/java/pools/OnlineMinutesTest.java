package pools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which minutes of an hour a heartbeat mask counts online (what the market takes as a reservation's served minutes). */
class OnlineMinutesTest {

    private static final long HOUR = 1_800_000L * 3600;

    @Test
    void aMinuteIsOnlineWhenAnyIntervalOverlappingItHadAHeartbeat() {
        String mask = "0".repeat(120).substring(0, 1) + "1" + "0".repeat(3) + "11" + "0".repeat(113); // 30 s intervals 1, 5, 6
        assertThat(Uptime.minutesOnline(mask, HOUR)).containsExactly(HOUR, HOUR + 120, HOUR + 180);
    }

    @Test
    void anIntervalLongerThanAMinuteCountsEveryMinuteItCovers() {
        String mask = "01" + "0".repeat(28); // 2-minute intervals: the second covers minutes 2 and 3
        assertThat(Uptime.minutesOnline(mask, HOUR)).containsExactly(HOUR + 120, HOUR + 180);
    }

    @Test
    void minutesAreCountedOnceAndAnEmptyMaskHasNone() {
        assertThat(Uptime.minutesOnline("1".repeat(120), HOUR)).hasSize(60).doesNotHaveDuplicates();
        assertThat(Uptime.minutesOnline("0".repeat(60), HOUR)).isEmpty();
    }
}
