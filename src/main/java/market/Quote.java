package market;

import java.time.Instant;

/**
 * What an order would cost and how many GPUs are free for it, changing nothing. {@code priceDc} as in
 * {@link OrderView}; {@code start}: when it would start (an on-demand rental that needs a spot
 * rental's GPU starts when that rental's notice ends).
 */
public record Quote(long priceDc, int freeGpus, Instant start) {
}
