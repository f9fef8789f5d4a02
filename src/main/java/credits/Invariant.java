package credits;

/**
 * The ledger's totals at one instant (one consistent snapshot): DCs minted by each source, and
 * where they are now. {@link #holds()} when minted = held + in escrow + burned.
 */
public record Invariant(long mintedByBurn, long mintedByCard, long mintedByDemo, long held, long escrow, long burned) {

    public long minted() {
        return Math.addExact(Math.addExact(mintedByBurn, mintedByCard), mintedByDemo);
    }

    public boolean holds() {
        return minted() == Math.addExact(Math.addExact(held, escrow), burned);
    }
}
