package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.TestWallet;
import chain.Chain;
import chain.ContractName;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Burn to mint on the app's embedded chain: a wallet gets gas and test tokens from the faucet,
 * burns from its own key (as a script or browser wallet would), and its balance rises by exactly the
 * quote, once, also when event sync reads the same blocks again.
 */
@QuarkusTest
class BurnToMintTest {

    @Inject
    Chain chain;

    @Inject
    EntityManager em;

    @Inject
    CreditsBoughtCounter counter;

    @Inject
    Burns burns;

    record Customer(TestWallet wallet, String token, Credentials key) {
    }

    /** A new wallet, signed in, with the faucet's ether and test tokens confirmed on chain. */
    Customer customerWithTokens() throws Exception {
        TestWallet wallet = TestWallet.random();
        String token = wallet.signIn();
        var granted = given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/credits/faucet").then().extract();
        assertThat(granted.statusCode()).as(granted.asString()).isEqualTo(202);
        await("the faucet's ether and tokens", () -> chain.etherBalance(wallet.address()).orElse(BigInteger.ZERO).signum() > 0
                && chain.tokenBalance(wallet.address()).orElse(BigInteger.ZERO).signum() > 0);
        return new Customer(wallet, token, Credentials.create(wallet.key()));
    }

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static long balance(Customer c) {
        return given().auth().oauth2(c.token()).get("/api/credits/balance").then().statusCode(200).extract().jsonPath().getLong("dc");
    }

    static long quote(BigInteger tokens) {
        return given().contentType(ContentType.JSON).body(Map.of("tokens", tokens.toString())).post("/api/credits/quote")
                .then().statusCode(200).extract().jsonPath().getLong("dc");
    }

    /** approve, then burnForCredits(amount, account), signed with the customer's own key. */
    TransactionReceipt burn(Customer c, BigInteger amount, byte[] account) throws Exception {
        return TestBurns.burn(chain.info().embeddedRpc().orElseThrow(), chain.contractAddress(ContractName.BerkeleyToken).orElseThrow(),
                chain.contractAddress(ContractName.CreditsBurner).orElseThrow(), c.key(), amount, account);
    }

    private List<Map<String, Object>> burnsOf(Customer c) {
        return given().auth().oauth2(c.token()).get("/api/credits/burns").then().statusCode(200).extract().jsonPath().getList("");
    }

    @Test
    void aBurnRaisesTheBalanceByExactlyTheQuoteOnceAlsoWhenTheBlocksAreReadAgain() throws Exception {
        PriceApiTest.setPriceOnChain("0.25");
        Customer customer = customerWithTokens();
        BigInteger amount = new BigInteger("12345678901234567890"); // 12.34… BCT
        long quoted = quote(amount);
        assertThat(quoted).isEqualTo(308_641); // floor(12345678901234567890 × 25000000 / 10^21)
        long before = balance(customer);

        TransactionReceipt receipt = burn(customer, amount, Numeric.hexStringToByteArray(BurnAccount.of(
                accounts.WalletAddress.of(customer.wallet().address()))));
        String tx = receipt.getTransactionHash();
        await("the burn credited", () -> burnsOf(customer).stream().anyMatch(b -> tx.equals(b.get("txHash"))));

        assertThat(balance(customer)).isEqualTo(before + quoted);
        assertThat(burnsOf(customer)).singleElement().satisfies(b -> {
            assertThat(b.get("dc")).isEqualTo(String.valueOf(quoted));
            assertThat(b.get("tokens")).isEqualTo(amount.toString());
        });

        // the sync's cursor is set back before the burn's block, as after a restore or a restart that
        // lost its place: the same blocks are read again and the log is delivered a second time
        assertThat(counter.deliveries(tx)).isEqualTo(1);
        long burnBlock = receipt.getBlockNumber().longValueExact();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (counter.deliveries(tx) < 2) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update chain_sync set last_block = ?1 where chain_id = 31337")
                    .setParameter(1, burnBlock - 1).executeUpdate());
            long until = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (counter.deliveries(tx) < 2 && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(System.nanoTime()).as("the burn's block read again").isLessThan(deadline);
        }
        assertThat(balance(customer)).isEqualTo(before + quoted);
        assertThat(burnsOf(customer)).hasSize(1);
    }

    @Test
    void aBurnForAnAccountThatIsNoAddressIsKeptAsUnclaimableAndCreditsNoOne() throws Exception {
        PriceApiTest.setPriceOnChain("0.25");
        Customer customer = customerWithTokens();
        long before = balance(customer);
        // keccak-256 of the address, not the address left-padded: names no wallet
        byte[] account = Hash.sha3(Numeric.hexStringToByteArray(customer.wallet().address()));
        String tx = burn(customer, BigInteger.TEN.pow(18), account).getTransactionHash();

        await("the burn recorded", () -> burns.unclaimable(500).stream().anyMatch(b -> b.txHash().equals(tx)));
        Burn recorded = burns.unclaimable(500).stream().filter(b -> b.txHash().equals(tx)).findFirst().orElseThrow();
        assertThat(recorded.status()).isEqualTo("UNCLAIMABLE");
        assertThat(recorded.wallet()).isNull();
        assertThat(recorded.buyer()).isEqualTo(customer.wallet().address().toLowerCase());
        assertThat(recorded.dc()).isEqualTo(BigInteger.valueOf(25_000));
        assertThat(recorded.problem()).contains("not a wallet address left-padded");
        assertThat(balance(customer)).isEqualTo(before);
        assertThat(burnsOf(customer)).isEmpty();
    }

    @Test
    void theFaucetGivesOncePerWalletAndOnlyToAWalletWithoutEther() throws Exception {
        Customer customer = customerWithTokens();
        assertThat(chain.etherBalance(customer.wallet().address())).contains(new BigInteger("10000000000000000"));
        assertThat(chain.tokenBalance(customer.wallet().address())).contains(new BigInteger("100000000000000000000"));
        given().auth().oauth2(customer.token()).contentType(ContentType.JSON).post("/api/credits/faucet").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("once per wallet"));

        // a wallet that has ether already is refused
        TestWallet funded = TestWallet.random();
        String token = funded.signIn();
        new org.web3j.protocol.core.Request<>("anvil_setBalance", List.of(funded.address(), "0x1"),
                new HttpService(chain.info().embeddedRpc().orElseThrow()), org.web3j.protocol.core.methods.response.VoidResponse.class).send();
        given().auth().oauth2(token).contentType(ContentType.JSON).post("/api/credits/faucet").then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("holds ether already"));
        given().contentType(ContentType.JSON).post("/api/credits/faucet").then().statusCode(401);
    }
}
