package platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The epoch calendar: whole minutes that divide a day, the genesis on a multiple of the length. */
class EpochsTest {

    private static final Instant GENESIS = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void twoMinuteEpochsTileTheDay() {
        Epochs epochs = new Epochs(GENESIS, Duration.ofMinutes(2));
        assertThat(epochs.perDay()).isEqualTo(720);
        assertThat(epochs.epochAt(GENESIS.plusSeconds(119))).isZero();
        assertThat(epochs.epochAt(GENESIS.plusSeconds(120))).isEqualTo(1);
        assertThat(epochs.epochAt(GENESIS.minusSeconds(1))).isEqualTo(-1);
        assertThat(epochs.startOf(30)).isEqualTo(GENESIS.plus(Duration.ofHours(1)));
        assertThat(epochs.endOf(0)).isEqualTo(GENESIS.plusSeconds(120));
    }

    @Test
    void everyDivisorOfADayInMinutesIsALengthAndNothingElse() {
        for (long minutes = 1; minutes <= 1440; minutes++) {
            Duration length = Duration.ofMinutes(minutes);
            if (1440 % minutes == 0) {
                assertThat(new Epochs(GENESIS, length).perDay()).isEqualTo(1440 / minutes);
            } else {
                assertThatThrownBy(() -> new Epochs(GENESIS, length)).hasMessageContaining("divides 24 h");
            }
        }
        assertThatThrownBy(() -> new Epochs(GENESIS, Duration.ofSeconds(90))).hasMessageContaining("whole number of minutes");
        assertThatThrownBy(() -> new Epochs(GENESIS, Duration.ofHours(48))).hasMessageContaining("divides 24 h");
        assertThatThrownBy(() -> new Epochs(GENESIS, Duration.ZERO)).hasMessageContaining("bc.epochs.length");
    }

    @Test
    void theGenesisIsOnAMultipleOfTheLength() {
        assertThat(new Epochs(GENESIS.plusSeconds(600), Duration.ofMinutes(10)).epochAt(GENESIS.plusSeconds(600))).isZero();
        assertThatThrownBy(() -> new Epochs(GENESIS.plusSeconds(60), Duration.ofMinutes(2))).hasMessageContaining("bc.epochs.genesis");
        assertThatThrownBy(() -> new Epochs(GENESIS.plusMillis(1), Duration.ofMinutes(1))).hasMessageContaining("bc.epochs.genesis");
    }
}
