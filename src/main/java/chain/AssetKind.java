package chain;

/** The NFTs the marketplace mints, and the contract each lives in. */
public enum AssetKind {
    OPERATOR(ContractName.OperatorNFT, "operator"),
    GPU(ContractName.GpuNFT, "gpu"),
    TIME_SLOT(ContractName.TimeSlotNFT, "time-slot");

    private final ContractName contract;
    private final String slug;

    AssetKind(ContractName contract, String slug) {
        this.contract = contract;
        this.slug = slug;
    }

    public ContractName contract() {
        return contract;
    }

    /** The path segment of this kind's metadata URL ({@code /api/chain/metadata/<slug>/<tokenId>}). */
    public String slug() {
        return slug;
    }

    public static AssetKind ofSlug(String slug) {
        for (AssetKind kind : values()) {
            if (kind.slug.equals(slug)) {
                return kind;
            }
        }
        throw platform.DomainException.notFound("There is no kind of token called '" + slug + "' (operator, gpu, time-slot)");
    }
}
