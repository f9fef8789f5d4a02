package chain;

import java.util.Map;
import java.util.Optional;

/**
 * The marketplace's chain: its id, the embedded node's RPC, the contracts, and whether it is
 * reachable. {@code headBlock} is -1 until the chain has answered once.
 */
public record ChainInfo(long chainId, Optional<String> embeddedRpc, Map<ContractName, String> contracts, boolean up,
                        String problem, long headBlock, OutboxStats outbox) {

    /** What a person reads about the chain's state, e.g. "up at block 12" or "down: no answer (last block seen 12)". */
    public String state() {
        if (up) {
            return headBlock < 0 ? "up, no block seen yet" : "up at block " + headBlock;
        }
        String why = problem == null || problem.isBlank() ? "not reachable" : problem;
        return "down: " + why + (headBlock < 0 ? " (no block seen yet)" : " (last block seen " + headBlock + ")");
    }
}
