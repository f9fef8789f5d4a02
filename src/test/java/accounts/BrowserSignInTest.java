package accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/**
 * A person signs in with a browser wallet and creates an API key, in headless Chromium. The wallet
 * is an EIP-1193 provider injected into the page whose {@code personal_sign} is answered by a key
 * this test holds (bridged with Playwright's exposeFunction).
 */
@QuarkusTest
public class BrowserSignInTest {

    private static TestChromium chromium;

    @TestHTTPResource("/")
    URL root;

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

    /** Makes {@code window.ethereum} a wallet holding {@code wallet}'s key. */
    public static void injectWallet(Page page, TestWallet wallet) {
        page.exposeFunction("testWalletPersonalSign", args -> {
            String message = new String(Numeric.hexStringToByteArray((String) args[0]), StandardCharsets.UTF_8);
            return wallet.sign(message);
        });
        page.addInitScript("""
                window.ethereum = {
                  isTestWallet: true,
                  request: async ({ method, params }) => {
                    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return ['%s'];
                    if (method === 'eth_chainId') return '0x7a69';
                    if (method === 'personal_sign') return await window.testWalletPersonalSign(params[0], params[1]);
                    throw new Error('unsupported method ' + method);
                  }
                };
                """.formatted(wallet.address().toLowerCase()));
    }

    @Test
    void aPersonSignsInWithTheirBrowserWalletAndCreatesAnApiKey() throws Exception {
        TestWallet wallet = TestWallet.random();
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            injectWallet(page, wallet);

            page.navigate(root + "signin");
            page.click("#signin-button");
            page.waitForURL("**/account");
            assertThat(page.textContent("#address")).isEqualTo(wallet.address());
            assertThat(page.textContent("#roles")).contains("customer");
            assertThat(page.isVisible("#no-keys")).isTrue();

            page.fill("#key-name", "laptop");
            page.click("#create-key button[type=submit]");
            String key = page.textContent("#new-key-value").trim();
            assertThat(key).startsWith("bck_");
            assertThat(page.textContent("#keys")).contains("laptop");
            given().auth().oauth2(key).get("/api/me").then()
                    .statusCode(200).body("address", equalTo(wallet.address().toLowerCase()));

            page.click("#keys button:has-text('Revoke')");
            page.waitForURL("**/account");
            assertThat(page.textContent("#keys")).contains("revoked");
            given().auth().oauth2(key).get("/api/me").then().statusCode(401);

            page.click("text=Sign out");
            page.waitForURL(root.toString());
            assertThat(page.isVisible("#signin-link")).isTrue();
            Files.createDirectories(Path.of("target"));
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-signed-out.png")));
        }
    }

    @Test
    void afterSigningInThePageFollowsNextOnlyToAPathOnThisSite() {
        for (String[] next : new String[][] {
                {"%2F%5Cevil.example", ""}, {"%2F%2Fevil.example", ""}, {"https%3A%2F%2Fevil.example", ""},
                {"%2F%255Cevil.example", ""}, {"%2Fpools", "pools"}}) {
            try (var context = chromium.newContext()) {
                Page page = context.newPage();
                injectWallet(page, TestWallet.random());
                page.navigate(root + "signin?next=" + next[0]);
                page.click("#signin-button");
                page.waitForURL(url -> url.equals(root + next[1]), new Page.WaitForURLOptions().setTimeout(10_000));
                assertThat(page.url()).as("next=" + next[0]).isEqualTo(root + next[1]);
            }
        }
    }

    @Test
    void thePageNamesTheConfiguredDomainNotTheOneInTheAddressBar() {
        String configured = given().get("/api/auth/nonce").then().statusCode(200).extract().path("domain");
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            injectWallet(page, TestWallet.random());
            page.navigate(root.toString().replace("localhost", "127.0.0.1") + "signin");
            assertThat(page.textContent("#origin")).isEqualTo(configured).doesNotContain("127.0.0.1");
        }
    }

    @Test
    void withoutAWalletThePageExplainsHowToSignInFromTheApi() {
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            page.navigate(root + "signin");
            assertThat(page.isVisible("#signin-button")).isFalse();
            assertThat(page.textContent("#no-wallet")).contains("/api/auth/siwe");
        }
    }
}
