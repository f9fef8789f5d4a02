package credits.web;

import accounts.WalletAddress;
import chain.Chain;
import chain.ContractName;
import credits.BurnAccount;
import credits.Burns;
import credits.Faucet;
import credits.Oracle;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.web3j.crypto.Hash;

/** Builds the /credits page's burn section for a visitor (signed in or not). */
@ApplicationScoped
public class BurnSections {

    /** Computed once from the function signatures, rendered into the page for its hand-written ABI encoding. */
    static final BurnSection.Selectors SELECTORS = new BurnSection.Selectors(selector("approve(address,uint256)"),
            selector("burnForCredits(uint256,bytes32)"), selector("balanceOf(address)"));

    private final Oracle oracle;
    private final Burns burns;
    private final Faucet faucet;
    private final Chain chain;

    BurnSections(Oracle oracle, Burns burns, Faucet faucet, Chain chain) {
        this.oracle = oracle;
        this.burns = burns;
        this.faucet = faucet;
        this.chain = chain;
    }

    public BurnSection section(Optional<WalletAddress> wallet) {
        boolean embedded = chain.info().embeddedRpc().isPresent();
        return new BurnSection(wallet.map(WalletAddress::value), wallet.map(BurnAccount::of).orElse(""), chain.info().chainId(),
                chain.contractAddress(ContractName.BerkeleyToken).orElse(null),
                chain.contractAddress(ContractName.CreditsBurner).orElse(null), SELECTORS, oracle.current(),
                Oracle.describe(oracle.maxPriceAge()), PriceChart.of(oracle.history(100)),
                wallet.flatMap(w -> chain.etherBalance(w.value())), wallet.flatMap(w -> chain.tokenBalance(w.value())),
                embedded ? wallet.map(faucet::offer) : Optional.empty(),
                wallet.map(w -> burns.of(w, 20)).orElse(List.of()));
    }

    static String selector(String signature) {
        return Hash.sha3String(signature).substring(0, 10);
    }
}
