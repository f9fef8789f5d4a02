package chain;

import java.math.BigInteger;
import java.time.Instant;

/** An NFT as the chain says it is (through event sync): who holds it, and the transaction that last moved it. */
public record Token(AssetKind kind, BigInteger tokenId, String contract, String owner, boolean burned,
                    String mintedTx, String lastTx, long lastBlock, String user, Instant userExpires,
                    Slot slot) {

    /** A time slot's terms. */
    public record Slot(BigInteger pool, int gpuCount, Instant start, Instant end) {
    }
}
