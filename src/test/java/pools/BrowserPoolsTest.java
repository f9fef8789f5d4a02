package pools;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import accounts.BrowserSignInTest;
import accounts.TestChromium;
import accounts.TestWallet;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator's day on the pages, in headless Chromium: become an operator, create a pool, register a GPU, estimate earnings. */
@QuarkusTest
class BrowserPoolsTest {

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

    @Test
    void anOperatorCreatesAPoolRegistersAGpuAndSeesWhyItCannotBeMintedYet() {
        TestWallet wallet = TestWallet.random();
        try (var context = chromium.newContext()) {
            Page page = context.newPage();
            BrowserSignInTest.injectWallet(page, wallet);
            page.navigate(root + "signin?next=/operator");
            page.click("#signin-button");
            page.waitForURL("**/operator");

            page.fill("#operator-name", "Frankfurt GPU Co.");
            page.click("#become-operator button");
            page.waitForURL("**/operator");
            assertThat(page.textContent("#operators")).contains("Frankfurt GPU Co.");

            page.fill("#create-pool input[name=name]", "Frankfurt H100");
            page.fill("#create-pool input[name=region]", "eu-central");
            page.selectOption("#create-pool select[name=mode]", "DISTRIBUTED");
            page.selectOption("#create-pool select[name=modelId]", "h100-sxm");
            page.fill("#create-pool input[name=operatorBps]", "1500");
            page.fill("#create-pool input[name=poolBps]", "5500");
            page.click("#create-pool button");
            page.waitForURL("**/operator/pools/*");
            assertThat(page.inputValue("#edit-pool input[name=name]")).isEqualTo("Frankfurt H100");

            String uuid = TestPools.gpuUuid();
            page.fill("#register-gpu input[name=hostName]", "fra-07");
            page.fill("#register-gpu input[name=serialNumber]", "1654922001234");
            page.fill("#register-gpu input[name=uuid]", uuid);
            page.click("#register-gpu button");
            page.waitForSelector("#gpus");
            assertThat(page.textContent("#gpus")).contains("fra-07", uuid.toLowerCase().replace("gpu-", "GPU-"), "registered");

            page.fill(".mint-form input[name=purchaseDate]", "2025-01-10");
            page.fill(".mint-form input[name=inServiceDate]", "2025-02-01");
            page.click(".mint-form button");
            page.waitForSelector("#error");
            assertThat(page.textContent("#error")).contains("no valid certificate");

            page.fill("#edit-pool input[name=operatorBps]", "2000");
            page.fill("#edit-pool input[name=poolBps]", "5000");
            page.click("#edit-pool button");
            page.waitForSelector("#pending-shares");
            assertThat(page.textContent("#pending-shares")).contains("20.00%", "from epoch");

            page.click("text=Public page");
            page.waitForSelector("#pool-facts");
            assertThat(page.textContent("#prices")).contains("1.20", "2.00");
            assertThat(page.textContent("#shares")).contains("15.00%", "55.00%");
            page.click("#est-run");
            page.waitForFunction("document.getElementById('est-result').textContent.startsWith('Operator:')");
            // 1000 tokens, operator 15% = 150; the pool's 55% split over 8 GPUs online, the 30% bonus over the 4 used
            assertThat(page.textContent("#est-result")).contains("Operator: 150.0000 tokens", "served rentals: 143.7500 tokens",
                    "each other GPU: 68.7500 tokens");
            page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target", "browser-pool.png")).setFullPage(true));
        }
    }

    @Test
    void theOwnerPageListsTheWalletsGpuNftsAndThePublicListThePools() {
        TestPools.Op op = TestPools.operator();
        long poolId = TestPools.createPool(op, "SELF");
        given().cookie("bc_session", op.token()).accept("text/html").get("/my/gpus").then()
                .statusCode(200).body(org.hamcrest.Matchers.containsString("Your wallet holds no GPU NFT"));
        given().accept("text/html").get("/pools").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("/pools/" + poolId));
        given().accept("text/html").get("/pools/" + poolId).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("not rated yet"));
        given().accept("text/html").redirects().follow(false).get("/operator").then().statusCode(303);
    }
}
