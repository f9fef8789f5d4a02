package credits;

import static org.assertj.core.api.Assertions.assertThat;

import chain.contracts.BerkeleyToken;
import chain.contracts.CreditsBurner;
import java.math.BigInteger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** Tokens burned for Data Credits from a wallet's own key, as a script or a browser wallet does it: approve, then burnForCredits. */
public final class TestBurns {

    private TestBurns() {
    }

    /** On the chain at {@code rpc} (chain id 31337): burns {@code amount} of {@code key}'s tokens for {@code account}; the receipt, checked OK. */
    public static TransactionReceipt burn(String rpc, String token, String burner, Credentials key, BigInteger amount, byte[] account)
            throws Exception {
        Web3j web3j = Web3j.build(new HttpService(rpc));
        try {
            RawTransactionManager transactions = new RawTransactionManager(web3j, key, 31337,
                    new PollingTransactionReceiptProcessor(web3j, 50, 600));
            StaticEIP1559GasProvider gas = new StaticEIP1559GasProvider(31337, BigInteger.valueOf(20_000_000_000L), BigInteger.ONE,
                    BigInteger.valueOf(200_000));
            BerkeleyToken.load(token, web3j, transactions, gas).approve(burner, amount).send();
            TransactionReceipt receipt = CreditsBurner.load(burner, web3j, transactions, gas).burnForCredits(amount, account).send();
            assertThat(receipt.isStatusOK()).as("the burn").isTrue();
            return receipt;
        } finally {
            web3j.shutdown();
        }
    }
}
