package credits;

/** Where minted DCs came from: tokens burned on chain, or a card payment. */
enum MintSource {
    BURN,
    CARD
}
