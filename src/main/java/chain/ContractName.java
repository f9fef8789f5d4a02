package chain;

/** The marketplace's contracts, by the names {@code GET /api/chain} lists them under. */
public enum ContractName {
    OperatorNFT,
    GpuNFT,
    TimeSlotNFT,
    BerkeleyToken,
    CreditsBurner,
    EpochRewards,
    /** Resale of time slots for BerkeleyToken (bound to one TimeSlotNFT and one token at deployment). */
    SlotMarket
}
