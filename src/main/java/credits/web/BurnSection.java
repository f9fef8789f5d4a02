package credits.web;

import credits.Burn;
import credits.CurrentPrice;
import credits.Faucet;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The /credits page's "burn tokens with your wallet" section: the price in effect (or why burns are
 * refused), the contracts and calldata selectors the page script needs, the wallet's balances, the
 * faucet where there is one, and the wallet's burns. {@code wallet} is empty for an anonymous visitor.
 */
public record BurnSection(Optional<String> wallet, String account, long chainId, String tokenAddress, String burnerAddress,
                          Selectors selectors, Optional<CurrentPrice> price, String maxPriceAge, PriceChart chart,
                          Optional<BigInteger> etherBalance, Optional<BigInteger> tokenBalance, Optional<Faucet.Offer> faucet,
                          List<Burn> burns) {

    /** The first four bytes of keccak-256 of each function the page calls, as 0x-hex. */
    public record Selectors(String approve, String burnForCredits, String balanceOf) {
    }

    /** True when the contracts are deployed and the page can offer a burn. */
    public boolean ready() {
        return tokenAddress != null && burnerAddress != null;
    }

    /** The chain id as EIP-1193's eth_chainId answers it (0x-hex). */
    public String chainIdHex() {
        return "0x" + Long.toHexString(chainId);
    }
}
