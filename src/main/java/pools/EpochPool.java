package pools;

import java.util.List;
import java.util.Map;

/**
 * A pool as the settlement of one epoch reads it: the reward shares in force in that epoch, its
 * operator (whose NFT's token id is {@code operatorId}), and its GPUs (a GPU NFT's token id is the
 * GPU's id) with their online seconds in the epoch (absent: none), which leave out every hour in which
 * the GPU failed or missed a spot check ({@link SpotCheckRule}).
 */
public record EpochPool(long poolId, long operatorId, RewardShares shares, List<Long> gpuIds, Map<Long, Long> onlineSeconds) {

    public EpochPool {
        gpuIds = List.copyOf(gpuIds);
        onlineSeconds = Map.copyOf(onlineSeconds);
    }
}
