package credits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.BrowserSignInTest;
import accounts.TestChromium;
import accounts.TestWallet;
import chain.Chain;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * A newcomer burns tokens on /credits in headless Chromium: the page's own script drives an
 * injected EIP-1193 wallet whose key this test holds. Its {@code eth_sendTransaction} signs the
 * page's calldata with web3j and sends it to the app's embedded anvil; every other call is relayed
 * to anvil as is. The wallet starts with nothing: the faucet gives it gas and test tokens.
 */
@QuarkusTest
public class BrowserBurnTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

    @Inject
    Chain chain;

    /** The answer of any JSON-RPC method, passed back to the page as JSON. */
    static class AnyResponse extends Response<Object> {
    }

    @BeforeAll
    static void launchChromium() {
        chromium = TestChromium.launch();
    }

    @AfterAll
    static void closeChromium() {
        if (chromium != null) {
            chromium.close();
        }
    }

    /**
     * Makes {@code window.ethereum} a wallet holding {@code wallet}'s key that sends real transactions to {@code rpc}
     * (with the gas the page asks for, as wallets take it, else 200,000).
     */
    public static void injectChainWallet(Page page, TestWallet wallet, String rpc) {
        HttpService service = new HttpService(rpc);
        Web3j web3j = Web3j.build(service);
        Credentials key = Credentials.create(wallet.key());
        page.exposeFunction("testWalletRpc", args -> {
            try {
                String method = (String) args[0];
                List<Object> params = JSON.readValue((String) args[1], List.class);
                if (method.equals("personal_sign")) {
                    String message = new String(Numeric.hexStringToByteArray((String) params.get(0)), StandardCharsets.UTF_8);
                    return JSON.writeValueAsString(wallet.sign(message));
                }
                if (method.equals("eth_sendTransaction")) {
                    @SuppressWarnings("unchecked") Map<String, String> tx = (Map<String, String>) params.get(0);
                    assertThat(tx.get("from")).isEqualToIgnoringCase(key.getAddress());
                    BigInteger nonce = web3j.ethGetTransactionCount(key.getAddress(), DefaultBlockParameterName.PENDING).send()
                            .getTransactionCount();
                    RawTransaction raw = RawTransaction.createTransaction(31337, nonce,
                            tx.get("gas") == null ? BigInteger.valueOf(200_000) : Numeric.toBigInt(tx.get("gas")), tx.get("to"),
                            tx.get("value") == null ? BigInteger.ZERO : Numeric.toBigInt(tx.get("value")), tx.get("data"),
                            BigInteger.ONE, web3j.ethGasPrice().send().getGasPrice().shiftLeft(1)); // as wallets do: twice the price now
                    EthSendTransaction sent = web3j.ethSendRawTransaction(
                            Numeric.toHexString(TransactionEncoder.signMessage(raw, 31337, key))).send();
                    if (sent.hasError()) {
                        throw new IllegalStateException(sent.getError().getMessage());
                    }
                    return JSON.writeValueAsString(sent.getTransactionHash());
                }
                AnyResponse answer = new Request<>(method, params, service, AnyResponse.class).send();
                if (answer.hasError()) {
                    throw new IllegalStateException(answer.getError().getMessage());
                }
                return JSON.writeValueAsString(answer.getResult());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        page.addInitScript("""
                window.ethereum = {
                  isTestWallet: true,
                  request: async ({ method, params }) => {
                    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return ['%s'];
                    if (method === 'eth_chainId') return '0x7a69';
                    return JSON.parse(await window.testWalletRpc(method, JSON.stringify(params || [])));
                  }
                };
                """.formatted(wallet.address().toLowerCase()));
    }

    @Test
    void aNewcomerGetsGasFromTheFaucetAndBurnsTokensForExactlyTheQuote() throws Exception {
        PriceApiTest.setPriceOnChain("0.25");
        TestWallet wallet = TestWallet.random();
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            injectChainWallet(page, wallet, chain.info().embeddedRpc().orElseThrow());
            page.navigate(root + "signin?next=/credits");
            page.click("#signin-button");
            page.waitForURL("**/credits");
            assertThat(page.textContent("#burn-price-usd")).isEqualTo("0.25");
            assertThat(page.textContent("#burn-ether-balance")).startsWith("0 ether");

            page.click("#faucet-button"); // the page reloads once the ether and tokens are on chain
            page.waitForSelector("#faucet", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.DETACHED).setTimeout(60_000));
            assertThat(page.textContent("#burn-token-balance")).isEqualTo("100 BCT");

            page.fill("#burn-tokens", "10");
            page.waitForFunction("document.getElementById('burn-quote').textContent.includes('DC')");
            assertThat(page.textContent("#burn-quote")).isEqualTo("= 250000 DC");
            page.click("#burn-button");
            page.waitForFunction("document.getElementById('burn-status').dataset.credited !== undefined"
                    + " || document.getElementById('burn-status').classList.contains('error')", null,
                    new Page.WaitForFunctionOptions().setTimeout(60_000));
            assertThat(page.textContent("#burn-status")).startsWith("Credited 250000 DC for 10 BCT");

            String token = wallet.signIn();
            given().auth().oauth2(token).get("/api/credits/balance").then().statusCode(200)
                    .body("dc", org.hamcrest.Matchers.equalTo(250_000));
            page.reload();
            assertThat(page.textContent("#burns")).contains("10 BCT").contains("250000");
            assertThat(page.textContent("#burn-token-balance")).isEqualTo("90 BCT");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-burn.png")).setFullPage(true));
        }
    }
}
