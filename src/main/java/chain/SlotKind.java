package chain;

/**
 * A time slot's kind, as {@code TimeSlotNFT} (version 2) stores it (the Solidity enum's order:
 * RESERVED = 0, ON_DEMAND = 1, SPOT = 2). A RESERVED slot is prepaid over a bounded window; ON_DEMAND
 * and SPOT slots are pay-as-you-go: minted open-ended and closed when the rental ends.
 */
public enum SlotKind {
    RESERVED,
    ON_DEMAND,
    SPOT;

    /** Whether whoever holds the slot pays per minute (and the slot is open-ended until closed). */
    public boolean payAsYouGo() {
        return this != RESERVED;
    }

    /** The kind the contract states as {@code uint8}. */
    static SlotKind ofChain(java.math.BigInteger value) {
        int index = value.intValueExact();
        if (index < 0 || index >= values().length) {
            throw new IllegalArgumentException("No slot kind " + value);
        }
        return values()[index];
    }
}
