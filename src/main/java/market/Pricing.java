package market;

import credits.Credits;
import java.time.Duration;
import java.time.Instant;
import pools.Prices;

/** The market's price rules, one named method each (DESIGN section 6), in whole Data Credits. */
final class Pricing {

    private Pricing() {
    }

    /**
     * The rate per GPU-hour of a reservation of {@code hours} hours: the reserved price of the
     * longest term not longer than the window; under the shortest term, the on-demand price.
     */
    static long reservedRate(Prices prices, long hours) {
        long rate = prices.onDemandDcPerHour();
        for (Prices.ReservedPrice price : prices.reserved()) { // sorted by term, shortest first
            if ((long) price.termDays() * 24 <= hours) {
                rate = price.dcPerHour();
            }
        }
        return rate;
    }

    /** What a reservation costs, paid in full at purchase: rate × hours × GPUs (an overflow is refused, never wrapped). */
    static long reservationPrice(long dcPerGpuHour, long hours, int gpus) {
        return Math.multiplyExact(Math.multiplyExact(dcPerGpuHour, hours), gpus);
    }

    /** The rate per GPU-hour of a pay-as-you-go rental. */
    static long payAsYouGoRate(Prices prices, OrderKind kind) {
        return kind == OrderKind.SPOT ? prices.spotDcPerHour() : prices.onDemandDcPerHour();
    }

    /**
     * What the first {@code minutes} minutes of a pay-as-you-go rental cost, the sum of the per-minute
     * charges of section 7 ({@link Credits#minuteCharge}) for each GPU: what the balance must cover to order it.
     */
    static long prepaid(long dcPerGpuHour, int gpus, int minutes) {
        long perGpu = 0;
        for (int minute = 1; minute <= minutes; minute++) {
            perGpu = Math.addExact(perGpu, Credits.minuteCharge(dcPerGpuHour, minute).value());
        }
        return Math.multiplyExact(perGpu, gpus);
    }

    /** Whole hours of a window (the window is known to be whole hours). */
    static long hours(Instant start, Instant end) {
        return Duration.between(start, end).toHours();
    }
}
