package chain;

import java.math.BigInteger;

/**
 * An NFT as the chain says it is (through event sync): who holds it, and the transaction that last
 * moved it. Times are as the contract states them ({@link ChainTime}): a user lent a slot "for
 * good" ({@code expires} = type(uint64).max) has {@code userExpires().never()}.
 */
public record Token(AssetKind kind, BigInteger tokenId, String contract, String owner, boolean burned,
                    String mintedTx, String lastTx, long lastBlock, String user, ChainTime userExpires,
                    Slot slot) {

    /**
     * A time slot's terms. A pay-as-you-go slot ({@link SlotKind#payAsYouGo()}) that is still open
     * has an end that means never ({@code end().never()}: type(uint64).max on chain).
     */
    public record Slot(BigInteger pool, long gpuCount, ChainTime start, ChainTime end, SlotKind kind) {

        /** Whether the slot has no end yet (a pay-as-you-go slot not closed). */
        public boolean open() {
            return end.never();
        }
    }
}
