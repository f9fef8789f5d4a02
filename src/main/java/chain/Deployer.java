package chain;

import chain.contracts.BerkeleyToken;
import chain.contracts.CreditsBurner;
import chain.contracts.EpochRewards;
import chain.contracts.GpuNFT;
import chain.contracts.OperatorNFT;
import chain.contracts.SlotMarket;
import chain.contracts.TimeSlotNFT;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiConsumer;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.Contract;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * Deploys whichever of the seven contracts are missing, with the platform signer as admin and
 * minter, and makes sure EpochRewards may mint the token. Receipts are polled every 100 ms (web3j's
 * default of 15 s would make a first start take minutes).
 */
final class Deployer {

    private static final Logger LOG = Logger.getLogger(Deployer.class);
    private static final BigInteger DEPLOY_GAS = BigInteger.valueOf(8_000_000);

    private final Web3j web3j;
    private final Credentials signer;
    private final TransactionManager transactions;
    private final ContractGasProvider gas;

    Deployer(Web3j web3j, Credentials signer, long chainId) throws IOException {
        this.web3j = web3j;
        this.signer = signer;
        this.transactions = new RawTransactionManager(web3j, signer, chainId,
                new PollingTransactionReceiptProcessor(web3j, 100, 1200));
        Fees fees = Fees.current(web3j);
        this.gas = new StaticEIP1559GasProvider(chainId, fees.maxFeePerGas(), fees.maxPriorityFeePerGas(), DEPLOY_GAS);
    }

    TransactionManager transactions() {
        return transactions;
    }

    ContractGasProvider gas() {
        return gas;
    }

    /**
     * Deploys what {@code existing} lacks and returns every address; {@code onDeployed} records each
     * new contract as soon as it exists, so a crash half-way never deploys one twice.
     */
    Map<ContractName, String> deployMissing(Map<ContractName, String> existing, String metadataBaseUrl,
                                            Duration maxPriceAge, BiConsumer<ContractName, TransactionReceipt> onDeployed)
            throws Exception {
        Map<ContractName, String> addresses = new EnumMap<>(ContractName.class);
        addresses.putAll(existing);
        String admin = signer.getAddress();
        deployIfMissing(addresses, ContractName.BerkeleyToken, onDeployed,
                () -> BerkeleyToken.deploy(web3j, transactions, gas, admin).send());
        deployIfMissing(addresses, ContractName.OperatorNFT, onDeployed,
                () -> OperatorNFT.deploy(web3j, transactions, gas, admin, metadataBaseUrl + "/operator/").send());
        deployIfMissing(addresses, ContractName.GpuNFT, onDeployed,
                () -> GpuNFT.deploy(web3j, transactions, gas, admin, metadataBaseUrl + "/gpu/").send());
        deployIfMissing(addresses, ContractName.TimeSlotNFT, onDeployed,
                () -> TimeSlotNFT.deploy(web3j, transactions, gas, admin, metadataBaseUrl + "/time-slot/").send());
        String token = addresses.get(ContractName.BerkeleyToken);
        deployIfMissing(addresses, ContractName.CreditsBurner, onDeployed,
                () -> CreditsBurner.deploy(web3j, transactions, gas, admin, token, BigInteger.valueOf(maxPriceAge.toSeconds())).send());
        deployIfMissing(addresses, ContractName.EpochRewards, onDeployed,
                () -> EpochRewards.deploy(web3j, transactions, gas, admin, token).send());
        String timeSlots = addresses.get(ContractName.TimeSlotNFT);
        deployIfMissing(addresses, ContractName.SlotMarket, onDeployed,
                () -> SlotMarket.deploy(web3j, transactions, gas, token, timeSlots).send());

        BerkeleyToken tokenContract = BerkeleyToken.load(token, web3j, transactions, gas);
        byte[] minter = tokenContract.MINTER_ROLE().send();
        String rewards = addresses.get(ContractName.EpochRewards);
        if (!tokenContract.hasRole(minter, rewards).send()) {
            tokenContract.grantRole(minter, rewards).send();
            LOG.infof("Granted EpochRewards %s the token's minter role", rewards);
        }
        return addresses;
    }

    private interface Deployment {
        Contract deploy() throws Exception;
    }

    private static void deployIfMissing(Map<ContractName, String> addresses, ContractName name,
                                        BiConsumer<ContractName, TransactionReceipt> onDeployed, Deployment deployment)
            throws Exception {
        if (addresses.containsKey(name)) {
            return;
        }
        Contract contract = deployment.deploy();
        String address = contract.getContractAddress().toLowerCase(java.util.Locale.ROOT);
        addresses.put(name, address);
        onDeployed.accept(name, contract.getTransactionReceipt().orElseThrow());
        LOG.infof("Deployed %s at %s", name, address);
    }
}
