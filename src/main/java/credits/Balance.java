package credits;

import accounts.WalletAddress;

/** What a wallet holds: DCs it can spend, and DCs held in escrow for its reservations. */
public record Balance(WalletAddress address, DataCredits dc, DataCredits escrowDc) {
}
