package market;

import pools.Prices;

/** A pool as the marketplace lists it: its terms, how many GPUs it has in service and how many are free for the asked window. */
public record Offer(long poolId, String name, String modelId, String region, String mode, int reputation, Prices prices,
                    int gpusInService, int freeGpus) {

    /** The rate per GPU-hour an order of {@code kind} pays (a reservation of {@code hours} hours; ignored for the others). */
    public long dcPerGpuHour(OrderKind kind, long hours) {
        return kind == OrderKind.RESERVED ? Pricing.reservedRate(prices, hours) : Pricing.payAsYouGoRate(prices, kind);
    }
}
