package credits;

/** TEMPORARY (LEDGER_API.md): where minted DCs came from. Replaced by branch i-ledger. */
enum MintSource { BURN, CARD }
