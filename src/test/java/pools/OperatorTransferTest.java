package pools;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import accounts.TestWallet;
import chain.AssetKind;
import chain.Chain;
import chain.ContractName;
import chain.contracts.OperatorNFT;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.methods.response.VoidResponse;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticEIP1559GasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/** The operator NFT's holder is the operator: a transfer on chain hands the pool over. */
@QuarkusTest
class OperatorTransferTest {

    @Inject
    Chain chain;

    private void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void sellingTheOperatorNftOnChainMovesTheOperatorsRights() throws Exception {
        TestPools.Op seller = TestPools.operator();
        long poolId = TestPools.createPool(seller, "SELF");
        BigInteger tokenId = BigInteger.valueOf(seller.operatorId());
        await("the operator NFT on chain", () -> chain.token(AssetKind.OPERATOR, tokenId).isPresent());

        String rpc = chain.info().embeddedRpc().orElseThrow();
        HttpService service = new HttpService(rpc);
        Web3j web3j = Web3j.build(service);
        Credentials holder = Credentials.create(seller.wallet().key());
        new Request<>("anvil_setBalance", List.of(holder.getAddress(), "0xde0b6b3a7640000"), service, VoidResponse.class).send();
        TestWallet buyer = TestWallet.random();
        OperatorNFT.load(chain.contractAddress(ContractName.OperatorNFT).orElseThrow(), web3j,
                        new RawTransactionManager(web3j, holder, 31337, new PollingTransactionReceiptProcessor(web3j, 50, 400)),
                        new StaticEIP1559GasProvider(31337, BigInteger.valueOf(50_000_000_000L), BigInteger.ONE, BigInteger.valueOf(300_000)))
                .transferFrom(holder.getAddress(), buyer.address(), tokenId).send();
        await("the transfer in the database", () -> chain.token(AssetKind.OPERATOR, tokenId).orElseThrow().owner()
                .equalsIgnoreCase(buyer.address()));
        web3j.shutdown();

        given().auth().oauth2(seller.token()).contentType(ContentType.JSON).body(Map.of("name", "Still mine?"))
                .put("/api/pools/" + poolId).then().statusCode(403);
        String buyerToken = buyer.signIn();
        given().auth().oauth2(buyerToken).contentType(ContentType.JSON).body(Map.of("name", "Bought it"))
                .put("/api/pools/" + poolId).then().statusCode(200).body("name", equalTo("Bought it"))
                .body("operator.wallet", equalTo(buyer.address().toLowerCase()));
        given().auth().oauth2(buyerToken).get("/api/operators/mine").then().body("id", equalTo(List.of((int) seller.operatorId())));
    }
}
