package chain;

/** The marketplace's contracts, by the names {@code GET /api/chain} lists them under. */
public enum ContractName {
    OperatorNFT,
    GpuNFT,
    TimeSlotNFT,
    BerkeleyToken,
    CreditsBurner,
    EpochRewards
}
