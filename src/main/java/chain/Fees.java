package chain;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;

/** EIP-1559 fees for the next transactions: twice the latest base fee plus the node's suggested tip. */
record Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {

    private static final BigInteger ONE_GWEI = BigInteger.TEN.pow(9);

    static Fees current(Web3j web3j) throws IOException {
        EthBlock.Block latest = ChainClient.send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false)).getBlock();
        BigInteger baseFee = latest.getBaseFeePerGas() == null ? ONE_GWEI : latest.getBaseFeePerGas();
        BigInteger tip;
        try {
            tip = ChainClient.send(web3j.ethMaxPriorityFeePerGas()).getMaxPriorityFeePerGas();
        } catch (IOException unsupported) {
            tip = ONE_GWEI;
        }
        return new Fees(baseFee.shiftLeft(1).add(tip), tip);
    }
}
