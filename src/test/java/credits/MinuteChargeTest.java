package credits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import platform.DomainException;

/** The per-minute charge of DESIGN section 7: a cumulative floor, so any 60 consecutive minutes cost exactly the hourly price. */
class MinuteChargeTest {

    @Test
    void twoDollarsAnHourIsChargedAs3333And3334() {
        assertThat(Credits.minuteCharge(200_000, 1)).isEqualTo(DataCredits.of(3_333));
        assertThat(Credits.minuteCharge(200_000, 2)).isEqualTo(DataCredits.of(3_333));
        assertThat(Credits.minuteCharge(200_000, 3)).isEqualTo(DataCredits.of(3_334));
    }

    @Test
    void aPriceBelow60DcAnHourChargesSomeMinutesNothing() {
        assertThat(Credits.minuteCharge(30, 1)).isEqualTo(DataCredits.ZERO);
        assertThat(Credits.minuteCharge(30, 2)).isEqualTo(DataCredits.of(1));
    }

    @Test
    void anySixtyConsecutiveMinutesCostExactlyTheHourlyPrice() {
        SplittableRandom random = new SplittableRandom(20261203);
        for (int i = 0; i < 20_000; i++) {
            long price = switch (i % 4) {
                case 0 -> random.nextLong(0, 120);
                case 1 -> random.nextLong(0, 10_000_000);
                case 2 -> random.nextLong(0, Long.MAX_VALUE / 1_000_000);
                default -> i * 60L + random.nextInt(60);
            };
            long first = random.nextLong(1, i % 2 == 0 ? 1_000 : 5_000_000);
            long hour = 0;
            long least = Long.MAX_VALUE;
            long most = 0;
            for (long minute = first; minute < first + 60; minute++) {
                long charge = Credits.minuteCharge(price, minute).value();
                hour += charge;
                least = Math.min(least, charge);
                most = Math.max(most, charge);
            }
            assertThat(hour).as("price %d from minute %d", price, first).isEqualTo(price);
            assertThat(most - least).as("minutes differ by at most 1 DC").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void theChargeAgreesWithTheFormulaWhereTheProductFitsALong() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 20_000; i++) {
            long price = random.nextLong(0, 1_000_000_000L);
            long minute = random.nextLong(1, 1_000_000_000L);
            long expected = Math.floorDiv(price * minute, 60) - Math.floorDiv(price * (minute - 1), 60);
            assertThat(Credits.minuteCharge(price, minute).value()).isEqualTo(expected);
        }
    }

    @Test
    void aNegativePriceOrAMinuteBeforeTheFirstIsRefused() {
        assertThatThrownBy(() -> Credits.minuteCharge(-1, 1)).isInstanceOf(DomainException.class);
        assertThatThrownBy(() -> Credits.minuteCharge(60, 0)).isInstanceOf(DomainException.class);
    }
}
