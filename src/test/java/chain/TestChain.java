package chain;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Function;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** A real anvil for contract tests, with anvil's well-known funded development accounts. */
final class TestChain implements AutoCloseable {

    /** anvil's default accounts 0–4 (the standard test mnemonic): public knowledge, test chains only. */
    static final List<Credentials> ACCOUNTS = List.of(
            Credentials.create("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
            Credentials.create("0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
            Credentials.create("0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
            Credentials.create("0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
            Credentials.create("0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"));
    static final long CHAIN_ID = 31337;
    static final Path ANVIL = Path.of("contracts/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil");

    final EmbeddedChain anvil;
    final Web3j web3j;
    private final HttpService service;

    private TestChain(EmbeddedChain anvil) {
        this.anvil = anvil;
        this.service = new HttpService(anvil.rpcUrl(), new OkHttpClient());
        this.web3j = Web3j.build(service);
    }

    static TestChain start() throws IOException {
        TestChain chain = new TestChain(EmbeddedChain.start(ANVIL, Files.createTempDirectory("bc-anvil"), CHAIN_ID, 0,
                Duration.ofSeconds(60)));
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                chain.web3j.ethBlockNumber().send();
                return chain;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
            }
        }
    }

    Map<ContractName, String> deployAll() throws Exception {
        return new Deployer(web3j, ACCOUNTS.get(0), CHAIN_ID)
                .deployMissing(Map.of(), "http://localhost:8080/api/chain/metadata", Duration.ofHours(1), (name, receipt) -> { });
    }

    TransactionManager transactions(Credentials who) {
        return new RawTransactionManager(web3j, who, CHAIN_ID, new PollingTransactionReceiptProcessor(web3j, 50, 400));
    }

    ContractGasProvider gas() {
        return new StaticEIP1559GasProvider(CHAIN_ID, BigInteger.valueOf(50_000_000_000L), BigInteger.valueOf(1_000_000_000L),
                BigInteger.valueOf(3_000_000));
    }

    /** Asserts that {@code from} calling {@code function} on {@code contract} reverts with the custom error {@code signature}. */
    void assertReverts(Credentials from, String contract, Function function, String signature) throws IOException {
        EthCall call = web3j.ethCall(Transaction.createEthCallTransaction(from.getAddress(), contract,
                FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
        String selector = Hash.sha3String(signature).substring(0, 10);
        assertThat(call.isReverted() || call.hasError()).as(function.getName() + " reverts").isTrue();
        String data = (call.hasError() ? String.valueOf(call.getError().getData()) : call.getValue()).replace("\"", "");
        assertThat(data).as(function.getName() + " reverts with " + signature).startsWith(selector);
    }

    /** Moves the chain's clock forward (anvil cheat codes). */
    void advanceTime(Duration by) throws IOException {
        new Request<>("evm_increaseTime", List.of(by.toSeconds()), service, ChainClient.AnvilResponse.class).send();
        new Request<>("evm_mine", List.of(), service, ChainClient.AnvilResponse.class).send();
    }

    long now() throws IOException {
        return web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp().longValueExact();
    }

    @Override
    public void close() {
        web3j.shutdown();
        anvil.close();
    }
}
