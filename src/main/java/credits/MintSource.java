package credits;

/** Where minted DCs came from: tokens burned on chain, a card payment, or demo mode's grant to its demo customers. */
enum MintSource {
    BURN,
    CARD,
    DEMO
}
