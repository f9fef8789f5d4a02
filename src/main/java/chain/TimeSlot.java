package chain;

import java.math.BigInteger;
import java.util.List;

/**
 * A time slot as the chain's confirmed events describe it: its kind and terms, who holds it and who
 * may use it (ERC-4907; null when nobody), whether it was burned (split or merged away), and its
 * lineage: the slot(s) it was split or merged from ({@code parents}: one for a piece of a split, two
 * for a merged slot, none for a minted one) and those it became ({@code children}).
 */
public record TimeSlot(BigInteger tokenId, SlotKind kind, BigInteger pool, long gpuCount, ChainTime start, ChainTime end,
                       String holder, boolean burned, String user, ChainTime userExpires,
                       List<BigInteger> parents, List<BigInteger> children) {

    /** Whether the slot has no end yet (a pay-as-you-go slot not closed). */
    public boolean open() {
        return end.never();
    }

    /** GPU-seconds over the window; empty while the slot is open. */
    public java.util.Optional<BigInteger> gpuSeconds() {
        return open() ? java.util.Optional.empty()
                : java.util.Optional.of(BigInteger.valueOf(gpuCount).multiply(end.seconds().subtract(start.seconds())));
    }
}
