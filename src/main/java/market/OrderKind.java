package market;

/** What a rental is (DESIGN section 6): spot (preemptible), on-demand (pay as you go, never preempted), reserved (prepaid window). */
public enum OrderKind {
    SPOT, ON_DEMAND, RESERVED;

    /** Whether its holds take part in the exclusion constraint that no two firm holds overlap (reservations and on-demand). */
    boolean firm() {
        return this != SPOT;
    }

    /** Paid per minute from the holder's balance rather than in full at purchase. */
    boolean payAsYouGo() {
        return this != RESERVED;
    }

    /** The kind of the order's time-slot NFT on chain. */
    chain.SlotKind slotKind() {
        return chain.SlotKind.valueOf(name());
    }
}
