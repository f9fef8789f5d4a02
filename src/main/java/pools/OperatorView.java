package pools;

/** An operator: its NFT's token id, its name, the wallet that holds its rights, and whether its NFT is on chain yet. */
public record OperatorView(long id, String name, String wallet, boolean onChain, String mintTx) {
}
