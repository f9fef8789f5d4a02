package chain;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.jboss.logging.Logger;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;
import platform.PlatformConfig;

/**
 * The connection to the chain: the embedded anvil (started and stopped here) or the configured
 * RPC, and the platform signer. RPC calls time out quickly, so a chain that is down shows up as
 * down instead of hanging the relay or readiness.
 */
@ApplicationScoped
class ChainClient {

    private static final Logger LOG = Logger.getLogger(ChainClient.class);

    private final ChainConfig config;
    private final PlatformConfig platform;
    private EmbeddedChain embedded;
    private HttpService service;
    private Web3j web3j;
    private Credentials signer;
    private String rpcUrl;

    ChainClient(ChainConfig config, PlatformConfig platform) {
        this.config = config;
        this.platform = platform;
    }

    synchronized void start() {
        if (web3j != null) {
            return;
        }
        signer = SignerKey.load(config.signerKey(), platform.dataDir());
        if (config.rpc().filter(s -> !s.isBlank()).isPresent()) {
            rpcUrl = config.rpc().get().trim();
            LOG.infof("Using the chain at %s (chain id %d); platform signer %s", rpcUrl, config.id(), signer.getAddress());
        } else {
            embedded = EmbeddedChain.start(config.anvil(), platform.dataDir(), config.id(), config.embeddedPort(),
                    config.anvilStateInterval());
            rpcUrl = embedded.rpcUrl();
        }
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(2, TimeUnit.SECONDS)
                .readTimeout(10, TimeUnit.SECONDS)
                .writeTimeout(10, TimeUnit.SECONDS)
                .build();
        service = new HttpService(rpcUrl, http);
        web3j = Web3j.build(service);
        if (embedded != null) {
            awaitEmbeddedChain();
        }
    }

    synchronized void stop() {
        if (web3j != null) {
            web3j.shutdown();
            web3j = null;
        }
        if (embedded != null) {
            embedded.close();
            embedded = null;
        }
    }

    Web3j web3j() {
        return web3j;
    }

    Credentials signer() {
        return signer;
    }

    long chainId() {
        return config.id();
    }

    boolean isEmbedded() {
        return embedded != null;
    }

    Optional<String> embeddedRpcUrl() {
        return embedded == null ? Optional.empty() : Optional.of(rpcUrl);
    }

    String rpcUrl() {
        return rpcUrl;
    }

    long headBlock() throws IOException {
        return send(web3j.ethBlockNumber()).getBlockNumber().longValueExact();
    }

    /** The nonce the next transaction of the signer must use, counting only mined ones. */
    long minedNonce() throws IOException {
        return minedNonce(signer.getAddress());
    }

    /** The nonce the next transaction of {@code address} must use, counting only mined ones. */
    long minedNonce(String address) throws IOException {
        return send(web3j.ethGetTransactionCount(address, DefaultBlockParameterName.LATEST)).getTransactionCount().longValueExact();
    }

    /** The nonce the next transaction of the signer must use, counting those waiting in the node's pool. */
    long pendingNonce() throws IOException {
        return pendingNonce(signer.getAddress());
    }

    /** The nonce the next transaction of {@code address} must use, counting those waiting in the node's pool. */
    long pendingNonce(String address) throws IOException {
        return send(web3j.ethGetTransactionCount(address, DefaultBlockParameterName.PENDING)).getTransactionCount().longValueExact();
    }

    /** The ether (wei) {@code address} holds, counting the node's pending transactions. */
    BigInteger balance(String address) throws IOException {
        return send(web3j.ethGetBalance(address, DefaultBlockParameterName.PENDING)).getBalance();
    }

    /**
     * The hash of {@code sender}'s mined transaction with {@code nonce}, where the node can say
     * (anvil, Erigon and Otterscan nodes answer {@code ots_getTransactionBySenderAndNonce}); empty
     * where it cannot.
     */
    Optional<String> minedTxHash(String sender, long nonce) {
        try {
            AnvilResponse answer = new Request<>("ots_getTransactionBySenderAndNonce",
                    List.of(sender, org.web3j.utils.Numeric.encodeQuantity(BigInteger.valueOf(nonce))),
                    service, AnvilResponse.class).send();
            return answer.hasError() || !(answer.getResult() instanceof String hash) ? Optional.empty()
                    : Optional.of(hash.toLowerCase(java.util.Locale.ROOT));
        } catch (IOException | RuntimeException unsupported) {
            return Optional.empty();
        }
    }

    /** Checks that the RPC serves the configured chain; a mismatch is a configuration error worth shouting about. */
    void verifyChainId() throws IOException {
        BigInteger actual = send(web3j.ethChainId()).getChainId();
        if (actual.longValueExact() != config.id()) {
            throw new IllegalStateException("The chain at " + rpcUrl + " has chain id " + actual
                    + " but bc.chain.id (BC_CHAIN_ID) is " + config.id());
        }
    }

    /** Sends a request and turns an RPC error into an IOException with the node's message. */
    static <T extends Response<?>> T send(Request<?, T> request) throws IOException {
        T response = request.send();
        if (response.hasError()) {
            throw new RpcException(response.getError().getMessage());
        }
        return response;
    }

    private void awaitEmbeddedChain() {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                headBlock();
                fundSigner();
                return;
            } catch (IOException notYet) {
                if (!embedded.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The embedded chain did not start; see "
                            + platform.dataDir().resolve("chain/anvil.log"), notYet);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    /** On the embedded chain the signer pays no one: anvil's cheat code gives it ether for gas. */
    private void fundSigner() throws IOException {
        send(new Request<>("anvil_setBalance",
                List.of(signer.getAddress(), "0xd3c21bcecceda1000000"), // 1,000,000 ether
                service, AnvilResponse.class));
    }

    /** The untyped answer of an anvil cheat code. */
    static class AnvilResponse extends Response<Object> {
    }

    /** An error the node answered with, as opposed to not answering. */
    static class RpcException extends IOException {
        RpcException(String message) {
            super(message);
        }
    }
}
