package market;

import pools.Prices;

/** A pool as the marketplace lists it: its terms, how many GPUs it has in service and how many are free for the asked window. */
public record Offer(long poolId, String name, String modelId, String region, String mode, int reputation, Prices prices,
                    int gpusInService, int freeGpus) {
}
