package chain;

import java.util.Map;
import java.util.Optional;

/** The marketplace's chain: its id, the embedded node's RPC, the contracts, and whether it is reachable. */
public record ChainInfo(long chainId, Optional<String> embeddedRpc, Map<ContractName, String> contracts, boolean up,
                        String problem, long headBlock, OutboxStats outbox) {
}
