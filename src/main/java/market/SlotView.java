package market;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import pools.Workload;

/**
 * A time slot of the market as its holder or its user sees it: the order that follows it, its kind,
 * pool, GPU count and window ({@code end} null: a pay-as-you-go slot still running), who holds it
 * and who may use it until when (ERC-4907; null when nobody), the GPUs the order holds for it, and
 * the workload they run. {@code role} is the caller's: HOLDER or USER. {@code minted} is false
 * while the slot's mint is still on its way to the chain (its holder is then the order's customer).
 */
public record SlotView(BigInteger tokenId, long orderId, OrderKind kind, OrderStatus status, long poolId, int gpus, Instant start,
                       Instant end, String holder, String user, Instant userExpires, boolean minted, List<Long> gpuIds,
                       Workload workload, String role) {
}
